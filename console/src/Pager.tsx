import { useTranslation } from 'react-i18next';

/** ‹ 2 / 21 ›: a list's pages; nothing when there is one. */
export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <div className="toolbar pager">
      <button className="link" disabled={page <= 1} onClick={() => onPage(page - 1)} aria-label={t('previous')}>
        ‹
      </button>
      <span>
        {page} / {pages}
      </span>
      <button className="link" disabled={page >= pages} onClick={() => onPage(page + 1)} aria-label={t('next')}>
        ›
      </button>
    </div>
  );
}

/** Every tag groups carry, with how many, as the options of a select (after its own first option). */
export function TagOptions({ tags }: { tags: { tag: string; groups: number }[] | undefined }) {
  return (
    <>
      {tags?.map((x) => (
        <option key={x.tag} value={x.tag}>
          {x.tag}（{x.groups}）
        </option>
      ))}
    </>
  );
}
