// Entry of web.html (web host). The bridge shim must define window.warbler before the app mounts:
// ES modules evaluate imports in order, and mount() is only called after both have been evaluated.
// (Do not import main.tsx here: it is index.html's entry chunk, which would be evaluated before the shim.)
import '../../web/shim/shim.js';
import { mount } from './mount.js';

mount();
