import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// React Flow's own styles first, so the app's styles override them.
import '@xyflow/react/dist/style.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
