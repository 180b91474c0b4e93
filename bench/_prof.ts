import { loadKnowledgeBase } from '../server/kb/loader.js';
import { DEFAULT_SETTINGS } from '../server/kb/search/model.js';
import { trainLocaleModel, calibrateLocale } from '../server/kb/search/training.js';
const l = await loadKnowledgeBase(process.argv[2]);
const input = { locale: 'en', articles: l.articles.filter((a) => a.locale === 'en').map((a) => ({ ...a, body: '', html: '' })), synonyms: [], settings: DEFAULT_SETTINGS };
let t = performance.now(); trainLocaleModel(input); const m = performance.now() - t;
t = performance.now(); calibrateLocale(input); console.log('model', m.toFixed(0), 'calibration', (performance.now() - t).toFixed(0));
