/** The admin workspace of the staff app: a header, a nav of sections, and the chosen section. */
import { useEffect, useState } from 'preact/hooks';
import type { Hall } from '../../../protocol/index.js';
import { Clock, LanguageSwitch, OfflineBanner, useLoad, useSocketStore, type StaffSession } from '../../../ui-kit/index.js';
import { api, endSession, signOut } from '../session.js';
import { t as staffT } from '../messages.js';
import { t } from './messages.js';
import { useReloadKey, type SectionProps } from './parts.js';
import { setWorkspace } from './workspace.js';
import { HallSection } from './HallSection.js';
import { DepartmentsSection } from './DepartmentsSection.js';
import { ServicesSection } from './ServicesSection.js';
import { CountersSection } from './CountersSection.js';
import { UsersSection } from './UsersSection.js';
import { DevicesSection } from './DevicesSection.js';
import { HolidaysSection } from './HolidaysSection.js';
import { ProceduresSection } from './ProceduresSection.js';
import { VoiceSection } from './VoiceSection.js';
import { FiguresSection } from './FiguresSection.js';
import { AuditSection } from './AuditSection.js';
import './admin.css';

const SECTIONS = ['hall', 'departments', 'services', 'counters', 'users', 'devices', 'holidays', 'procedures', 'voice', 'figures', 'audit'] as const;
type Section = (typeof SECTIONS)[number];

const isSection = (s: string): s is Section => (SECTIONS as readonly string[]).includes(s);
const sectionOfHash = (): Section => {
  const h = window.location.hash.replace(/^#/, '');
  return isSection(h) ? h : 'hall';
};

function SectionView({ section, props }: { section: Section; props: SectionProps }) {
  switch (section) {
    case 'hall':
      return <HallSection {...props} />;
    case 'departments':
      return <DepartmentsSection {...props} />;
    case 'services':
      return <ServicesSection {...props} />;
    case 'counters':
      return <CountersSection {...props} />;
    case 'users':
      return <UsersSection {...props} />;
    case 'devices':
      return <DevicesSection {...props} />;
    case 'holidays':
      return <HolidaysSection {...props} />;
    case 'procedures':
      return <ProceduresSection {...props} />;
    case 'voice':
      return <VoiceSection {...props} />;
    case 'figures':
      return <FiguresSection {...props} />;
    case 'audit':
      return <AuditSection {...props} />;
  }
}

export default function AdminApp({ session }: { session: StaffSession }) {
  const store = useSocketStore();
  const reloadKey = useReloadKey();
  const hall = useLoad(() => api.get<Hall>('/hall'), [reloadKey]);
  const [section, setSection] = useState<Section>(sectionOfHash());
  const canEdit = session.user.role === 'admin';

  useEffect(() => {
    const onHash = () => setSection(sectionOfHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (store.status.value === 'unauthorized') endSession(staffT('sessionExpired'));
  }, [store.status.value]);

  return (
    <div class="staff admin" data-testid="admin-app">
      <OfflineBanner />
      <header class="staff-header">
        <div class="staff-brand">
          <span class="hh-emblem" aria-hidden="true">★</span>
          <div>
            <div class="staff-brand__hall">{hall.data?.name ?? staffT('product')}</div>
            <div class="staff-brand__counter">{t('title')}</div>
          </div>
        </div>
        <div class="staff-header__right">
          <div class="staff-user">
            <span class="staff-user__name">{session.user.name}</span>
            <span class="admin-role">{t(`role_${session.user.role}`)}</span>
          </div>
          <button type="button" class="hh-btn hh-btn--ghost hh-btn--sm staff-logout" data-testid="to-console" onClick={() => setWorkspace(session.user.id, 'console')}>
            {t('toConsole')}
          </button>
          <LanguageSwitch />
          <Clock date={false} {...(hall.data?.timezone ? { timeZone: hall.data.timezone } : {})} />
          <button type="button" class="hh-btn hh-btn--ghost hh-btn--sm staff-logout" onClick={() => void signOut()}>
            {staffT('logout')}
          </button>
        </div>
      </header>
      <div class="admin-body">
        <nav class="admin-nav" aria-label={t('title')}>
          <ul>
            {SECTIONS.map((s) => (
              <li key={s}>
                <a href={`#${s}`} class={s === section ? 'is-active' : ''} aria-current={s === section ? 'page' : undefined} data-testid={`nav-${s}`}>
                  {t(`nav_${s}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main class="admin-main">
          {canEdit ? null : (
            <p class="hh-alert hh-alert--warning admin-readonly" data-testid="admin-readonly">
              {t('readOnly')}
            </p>
          )}
          <SectionView key={section} section={section} props={{ canEdit, me: session.user.id }} />
        </main>
      </div>
    </div>
  );
}
