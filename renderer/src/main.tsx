// Entry of index.html (Electron): the preload script has already exposed window.warbler.
import { mount } from './mount.js';

mount();
