import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useEffect, useState, useSyncExternalStore, type ComponentType, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, session } from './api';
import { LANGUAGE_KEY } from './i18n';
import { Me, MeContext, PageName, pagesFor } from './session';

/** Each page is its own chunk: an editor never loads the calendar. */
const PAGES: Record<PageName, ComponentType> = {
  calendar: lazy(() => import('./pages/CalendarPage').then((m) => ({ default: m.CalendarPage }))),
  runs: lazy(() => import('./pages/RunsPage').then((m) => ({ default: m.RunsPage }))),
  plan: lazy(() => import('./pages/PlanPage').then((m) => ({ default: m.PlanPage }))),
  inbox: lazy(() => import('./pages/InboxPage').then((m) => ({ default: m.InboxPage }))),
  content: lazy(() => import('./pages/ContentPage').then((m) => ({ default: m.ContentPage }))),
  groups: lazy(() => import('./pages/GroupsPage').then((m) => ({ default: m.GroupsPage }))),
};

/** The page is the location's hash (#/calendar): a link to a page works, and no key is ever in it. */
function useHashPage(): string {
  return useSyncExternalStore(
    (change) => {
      window.addEventListener('hashchange', change);
      return () => window.removeEventListener('hashchange', change);
    },
    () => window.location.hash.replace(/^#\/?/, ''),
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const me = await api<Me>('/v1/me', { key: key.trim() });
      session.save(key.trim());
      onSignedIn(me);
    } catch (e) {
      setError(t('badKey', { message: (e as Error).message }));
    }
  };
  return (
    <form className="sign-in" onSubmit={(event) => void submit(event)}>
      <h1>{t('app')}</h1>
      <label>
        {t('apiKey')}
        <input
          name="key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          required
        />
      </label>
      <p className="hint">{t('keyHint')}</p>
      {error && <p className="error">{error}</p>}
      <button type="submit">{t('signIn')}</button>
    </form>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [signedIn, setSignedIn] = useState(session.key() !== null);
  const me = useQuery({
    queryKey: ['me'],
    queryFn: () => api<Me>('/v1/me'),
    enabled: signedIn,
    retry: false,
  });
  const hash = useHashPage();
  useEffect(() => {
    document.documentElement.lang = i18n.language === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app');
  }, [i18n.language, t]);
  useEffect(() => {
    if (me.error instanceof ApiError && me.error.status === 401) {
      session.clear();
      setSignedIn(false);
    }
  }, [me.error]);

  const language = (
    <button
      className="link"
      onClick={() => {
        const next = i18n.language === 'zh' ? 'en' : 'zh';
        localStorage.setItem(LANGUAGE_KEY, next);
        void i18n.changeLanguage(next);
      }}
    >
      {t('language')}
    </button>
  );

  if (!signedIn) {
    return (
      <div className="signed-out">
        <div className="corner">{language}</div>
        <SignIn
          onSignedIn={(who) => {
            client.setQueryData(['me'], who);
            setSignedIn(true);
          }}
        />
      </div>
    );
  }
  if (!me.data) return <p className="loading">{me.error ? t('error', { message: me.error.message }) : t('loading')}</p>;
  const pages = pagesFor(me.data.role);
  const current = (pages as string[]).includes(hash) ? (hash as PageName) : pages[0];
  const Page = current ? PAGES[current] : null;
  return (
    <MeContext.Provider value={me.data}>
      <header>
        <strong>{t('app')}</strong>
        <nav>
          {pages.map((name) => (
            <a key={name} href={`#/${name}`} className={name === current ? 'current' : ''}>
              {t(`nav.${name}`)}
            </a>
          ))}
        </nav>
        <span className="who" data-role={me.data.role}>
          {t('role', { role: me.data.role })}
        </span>
        {language}
        <button
          className="link"
          onClick={() => {
            session.clear();
            client.clear();
            setSignedIn(false);
          }}
        >
          {t('signOut')}
        </button>
      </header>
      <main>
        <Suspense fallback={<p className="loading">{t('loading')}</p>}>{Page && <Page />}</Suspense>
      </main>
    </MeContext.Provider>
  );
}
