import { render } from 'preact';
render(<h1>display-ui</h1>, document.getElementById('app')!);
