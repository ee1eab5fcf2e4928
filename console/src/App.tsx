import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Suspense,
  lazy,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ComponentType,
  type FormEvent,
} from 'react';
import { ErrorBoundary } from 'react-error-boundary';
import { useTranslation } from 'react-i18next';
import { ApiError, SignOutReason, api, reach, session } from './api';
import { LANGUAGE_KEY } from './i18n';
import { Me, MeContext, PageName, pagesFor } from './session';

/** Each page is its own chunk: an editor never loads the calendar. */
const LOADERS: Record<PageName, () => Promise<ComponentType>> = {
  calendar: () => import('./pages/CalendarPage').then((m) => m.CalendarPage),
  runs: () => import('./pages/RunsPage').then((m) => m.RunsPage),
  campaigns: () => import('./pages/CampaignsPage').then((m) => m.CampaignsPage),
  plan: () => import('./pages/PlanPage').then((m) => m.PlanPage),
  inbox: () => import('./pages/InboxPage').then((m) => m.InboxPage),
  owners: () => import('./pages/OwnersPage').then((m) => m.OwnersPage),
  content: () => import('./pages/ContentPage').then((m) => m.ContentPage),
  routines: () => import('./pages/RoutinesPage').then((m) => m.RoutinesPage),
  groups: () => import('./pages/GroupsPage').then((m) => m.GroupsPage),
  channels: () => import('./pages/ChannelsPage').then((m) => m.ChannelsPage),
};

/** A page's chunk, fetched again a few times before the page says it could not load. */
async function loadPage(name: PageName): Promise<{ default: ComponentType }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { default: await LOADERS[name]() };
    } catch (error) {
      if (attempt >= 2) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

/** A fresh set of lazy pages: after a failed load, asking again needs a new one (React keeps the failure). */
function lazyPages(): Record<PageName, ComponentType> {
  const pages = {} as Record<PageName, ComponentType>;
  for (const name of Object.keys(LOADERS) as PageName[]) pages[name] = lazy(() => loadPage(name));
  return pages;
}

/** When the server stops answering, a banner says so, and the console asks until it answers again. */
function ReachBanner() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const ok = useSyncExternalStore(reach.subscribe, reach.ok);
  useEffect(() => {
    if (ok) return;
    const timer = setInterval(() => {
      api('/health/live')
        .then(() => client.invalidateQueries())
        .catch(() => undefined);
    }, 2000);
    return () => clearInterval(timer);
  }, [ok, client]);
  if (ok) return null;
  return (
    <div className="banner" role="alert">
      {t('offline')}{' '}
      <button className="link" onClick={() => void client.invalidateQueries()}>
        {t('retry')}
      </button>
    </div>
  );
}

function PageFailed({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="page-failed" role="alert">
      <p>{t('pageFailed')}</p>
      <button onClick={onRetry}>{t('retry')}</button>
    </div>
  );
}

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

function SignIn({ onSignedIn, reason }: { onSignedIn: (me: Me) => void; reason: SignOutReason | null }) {
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
      const status = e instanceof ApiError ? e.status : 0;
      if (status === 401) setError(t('badKey'));
      else if (status === 429) setError(t('tooManyTries', { seconds: (e as ApiError).body?.retryAfter ?? 60 }));
      else if (status === 0) setError(t('offline'));
      else setError(t('error', { message: (e as Error).message }));
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
      {reason && !error && <p className="notice">{t(`signedOut.${reason}`)}</p>}
      {error && <p className="error">{error}</p>}
      <button type="submit">{t('signIn')}</button>
    </form>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [signedIn, setSignedIn] = useState(session.key() !== null);
  const [reason, setReason] = useState<SignOutReason | null>(null);
  const [generation, setGeneration] = useState(0);
  // A new generation after a page failed to load: its chunk is asked for again.
  const pagesOf = useMemo(lazyPages, [generation]);
  useEffect(
    () =>
      session.onSignOut((why) => {
        client.clear();
        setReason(why);
        setSignedIn(false);
      }),
    [client],
  );
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
  const role = me.data?.role;
  useEffect(() => {
    // Every page the role may open is fetched once signed in: a page opened while the server is down still opens.
    if (role) for (const name of pagesFor(role)) void LOADERS[name]().catch(() => undefined);
  }, [role]);

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
          reason={reason}
          onSignedIn={(who) => {
            client.setQueryData(['me'], who);
            setReason(null);
            setSignedIn(true);
          }}
        />
      </div>
    );
  }
  if (!me.data)
    return (
      <>
        <ReachBanner />
        <p className="loading">{me.error ? t('error', { message: me.error.message }) : t('loading')}</p>
      </>
    );
  const pages = pagesFor(me.data.role);
  const current = (pages as string[]).includes(hash) ? (hash as PageName) : pages[0];
  const Page = current ? pagesOf[current] : null;
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
          {t(`roles.${me.data.role}`)}
        </span>
        {language}
        <button
          className="link"
          onClick={() => {
            session.clear();
            client.clear();
            setReason(null);
            setSignedIn(false);
          }}
        >
          {t('signOut')}
        </button>
      </header>
      <ReachBanner />
      <main>
        <ErrorBoundary
          resetKeys={[current, generation]}
          fallbackRender={() => <PageFailed onRetry={() => setGeneration(generation + 1)} />}
        >
          <Suspense fallback={<p className="loading">{t('loading')}</p>}>{Page && <Page />}</Suspense>
        </ErrorBoundary>
      </main>
    </MeContext.Provider>
  );
}
