import { useTranslation } from 'react-i18next';

export interface Picture {
  url: string;
  as: string;
  bytes?: number;
  warning?: string;
}

export interface Part {
  type: string;
  text?: string;
  bytes?: number;
  characters?: number;
  pictures?: Picture[];
  url?: string;
}

export interface ChannelPartsView {
  channelId: string;
  channelName: string;
  channelType: string;
  parts: Part[];
  refused?: string;
  pictures: Picture[];
}

/** A piece on each channel, side by side, as its provider will get it: the messages, their sizes, the pictures. */
export function SideBySide({ channels }: { channels: ChannelPartsView[] }) {
  const { t } = useTranslation();
  return (
    <div className="side-by-side">
      {channels.map((channel) => (
        <article key={channel.channelId} className="channel-preview" data-channel-type={channel.channelType}>
          <h3>
            {channel.channelName}{' '}
            <span className="muted">
              {t(`channelType.${channel.channelType}`, { defaultValue: channel.channelType })}
            </span>
          </h3>
          {channel.refused && <p className="error">{t('content.refused', { reason: channel.refused })}</p>}
          {channel.parts.map((part, i) => (
            <div key={i} className="part" data-part-type={part.type}>
              <div className="part-type">{t(`partType.${part.type}`, { defaultValue: part.type })}</div>
              {part.pictures?.map((picture) => (
                <figure key={picture.url}>
                  <img src={picture.url} alt={t('content.picture')} loading="lazy" />
                  <figcaption className={picture.warning ? 'warning' : 'muted'}>
                    {picture.bytes !== undefined && `${Math.round(picture.bytes / 1024)} KB · `}
                    {picture.warning ?? picture.as}
                  </figcaption>
                </figure>
              ))}
              {part.text !== undefined && <pre className="part-text">{part.text}</pre>}
              {part.bytes !== undefined && (
                <div className="muted">{t('content.bytes', { bytes: part.bytes, chars: part.characters })}</div>
              )}
              {part.url && (
                <a href={part.url} target="_blank" rel="noreferrer">
                  {part.url}
                </a>
              )}
            </div>
          ))}
        </article>
      ))}
    </div>
  );
}
