import { render } from 'preact';
render(<h1>staff-ui</h1>, document.getElementById('app')!);
