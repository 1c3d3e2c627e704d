import { render } from 'preact';
render(<h1>kiosk-ui</h1>, document.getElementById('app')!);
