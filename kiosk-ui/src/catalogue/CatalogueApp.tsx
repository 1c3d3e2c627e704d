import { Clock, LanguageSwitch, createApi } from '../../../ui-kit/index.js';
import { Catalogue } from './Catalogue.js';
import './catalogue.css';

const api = createApi();

/** `/procedures/` (public) and `/kiosk/procedures` on a lookup kiosk: the catalogue alone. */
export default function CatalogueApp() {
  const hall = new URLSearchParams(window.location.search).get('hall');
  return (
    <div class="catalogue-page">
      <header class="catalogue-page__header">
        <span class="hh-emblem" aria-hidden="true">
          ★
        </span>
        <div class="catalogue-page__brand">Hall Hub</div>
        <Clock />
      </header>
      <main class="catalogue-page__main">
        <Catalogue api={api} hall={hall} showHall />
      </main>
      <footer class="catalogue-page__footer">
        <LanguageSwitch size="touch" />
      </footer>
    </div>
  );
}
