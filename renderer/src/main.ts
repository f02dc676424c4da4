import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { connect } from './lib/api';

const app = mount(App, { target: document.getElementById('app')!, props: { client: connect() } });

export default app;
