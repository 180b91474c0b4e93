// The widget's stylesheet, scoped by its shadow root. :host rules are !important because, for important
// declarations, the shadow tree's context beats the host page's: a page rule like `div { display: none !important }`
// cannot hide or restyle the widget.
export const DEFAULT_ACCENT = '#1d4ed8';

/** A #rrggbb colour, or the default: data-color must not inject CSS. */
export function accentColor(value: string | null | undefined): string {
  return value && /^#[0-9a-f]{6}$/i.test(value.trim()) ? value.trim() : DEFAULT_ACCENT;
}

function mix(color: string, other: string, otherShare: number): string {
  const channel = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  let out = '#';
  for (let i = 0; i < 3; i++) {
    const value = Math.round(channel(color, i) * (1 - otherShare) + channel(other, i) * otherShare);
    out += value.toString(16).padStart(2, '0');
  }
  return out;
}

export function stylesheet(accent: string): string {
  return `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;inset:auto 0 0 auto!important;width:0!important;height:0!important;overflow:visible!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;
--accent:${accent};--accent-dark:${mix(accent, '#000000', 0.22)};--accent-soft:${mix(accent, '#ffffff', 0.91)};--ink:#111827;--muted:#4b5563;--line:#e5e7eb;--bubble:#f1f3f7;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif!important;color:var(--ink)!important;-webkit-font-smoothing:antialiased}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
button,textarea,input{font:inherit;color:inherit}
button{cursor:pointer}
a{color:var(--accent)}
:focus{outline:none}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher{position:fixed;right:24px;bottom:24px;width:60px;height:60px;border:0;border-radius:50%;background:var(--accent);color:#fff;display:grid;place-items:center;box-shadow:0 6px 24px rgba(15,23,42,.25);transition:transform .15s ease,box-shadow .15s ease}
.launcher:hover{transform:scale(1.06);box-shadow:0 8px 28px rgba(15,23,42,.3)}
.launcher svg{width:28px;height:28px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.launcher .when-open{display:none}
.is-open .launcher .when-open{display:block}
.is-open .launcher .when-closed{display:none}
.badge{position:absolute;top:-2px;right:-2px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;border:2px solid #fff}
.left .launcher{right:auto;left:24px}
.panel{position:fixed;right:24px;bottom:100px;width:380px;height:min(640px,calc(100vh - 124px));display:flex;flex-direction:column;background:#fff;border-radius:18px;overflow:hidden;overflow:clip;box-shadow:0 16px 56px rgba(15,23,42,.22),0 2px 8px rgba(15,23,42,.08);animation:rise .18s ease-out}
.left .panel{right:auto;left:24px}
@keyframes rise{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}
.head{display:flex;align-items:center;gap:12px;padding:18px 16px 18px 20px;background:linear-gradient(135deg,var(--accent),var(--accent-dark));color:#fff}
.avatar{flex:none;width:40px;height:40px;border-radius:50%;background:rgba(255,255,255,.18);display:grid;place-items:center}
.avatar svg{width:22px;height:22px;fill:none;stroke:#fff;stroke-width:1.8;stroke-linecap:round;stroke-linejoin:round}
.head-text{flex:1;min-width:0}
.title{margin:0;font-size:17px;font-weight:650;line-height:1.25}
.subtitle{margin:2px 0 0;font-size:13px;color:#fff;opacity:.92}
.close{flex:none;width:40px;height:40px;border:0;border-radius:10px;background:transparent;color:#fff;display:grid;place-items:center}
.close:hover{background:rgba(255,255,255,.16)}
.close:focus-visible{outline-color:#fff}
.launcher:focus-visible{outline:3px solid #fff;outline-offset:1px;box-shadow:0 0 0 7px var(--accent-dark)}
.close svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:2.2;stroke-linecap:round}
.notice{margin:0;padding:8px 16px;font-size:13px;background:#fff7ed;color:#7c2d12;border-bottom:1px solid #fed7aa}
.body{position:relative;flex:1;min-height:0;overflow-y:auto;padding:18px 16px 8px;scroll-behavior:smooth;overscroll-behavior:contain}
.body:focus-visible{outline-offset:-3px}
.log{display:flex;flex-direction:column;gap:10px}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:100%}
.msg.customer{align-items:flex-end}
.bubble{max-width:82%;padding:10px 14px;border-radius:18px 18px 18px 6px;background:var(--bubble);white-space:pre-wrap;overflow-wrap:anywhere}
.customer .bubble{background:var(--accent);color:#fff;border-radius:18px 18px 6px 18px}
.customer .bubble a{color:#fff}
.earlier{display:flex;flex-direction:column;gap:inherit;opacity:.8}
.divider{display:flex;align-items:center;gap:8px;margin:0 0 4px;font-size:12px;font-weight:600;color:var(--muted)}
.divider::after{content:'';flex:1;border-top:1px solid var(--line)}
.earlier+.msg{margin-top:6px;padding-top:12px;border-top:1px dashed var(--line)}
.time{margin:2px 6px 0;font-size:11px;color:var(--muted);font-variant-numeric:tabular-nums}
.who{margin:0 0 3px 4px;font-size:12px;font-weight:600;color:var(--muted)}
.system{align-items:center;text-align:center}
.system .note{max-width:92%;margin:2px 0;padding:7px 12px;font-size:13px;line-height:1.4;color:var(--muted);background:#f8fafc;border:1px solid var(--line);border-radius:12px;white-space:pre-wrap}
.pending .bubble{opacity:.75}
.failed .bubble{background:#fee2e2;color:#7f1d1d}
.fail{margin:4px 4px 0;font-size:12.5px;color:#991b1b}
.fail button{margin-left:6px;padding:0;border:0;background:none;color:#991b1b;font-weight:600;text-decoration:underline}
.cards{display:flex;flex-direction:column;gap:8px;width:88%;margin-top:8px;padding:0;list-style:none}
.card{padding:12px 14px;background:#fff;border:1px solid var(--line);border-radius:14px;box-shadow:0 1px 2px rgba(15,23,42,.05)}
.card h3{margin:0 0 4px;font-size:14.5px;font-weight:650;line-height:1.3}
.card p{margin:0 0 8px;font-size:13.5px;color:#374151}
.card a{display:inline-flex;align-items:center;gap:4px;font-size:13.5px;font-weight:600;text-decoration:none}
.card a:hover{text-decoration:underline}
.card .more{display:block;margin:0 0 6px;padding:0;border:0;background:none;color:var(--accent-dark);font:inherit;font-size:13.5px;font-weight:600;cursor:pointer}
.card .more:hover{text-decoration:underline}
.cards:has(.article:not([hidden])){width:100%}
.article{margin:4px 0 8px;font-size:13.5px;line-height:1.5;color:#374151;overflow-wrap:anywhere}
.article>:first-child{margin-top:0}
.article h2,.article h3{margin:12px 0 4px;font-size:14px}
.article ul,.article ol{margin:4px 0;padding-left:20px}
.article table{display:block;max-width:100%;overflow-x:auto;border-collapse:collapse;font-size:12.5px}
.article th,.article td{padding:3px 5px;border:1px solid var(--line);text-align:left;vertical-align:top;overflow-wrap:normal;hyphens:auto}
.card .article a{display:inline;font-weight:inherit;text-decoration:underline}
.card a svg{width:16px;height:16px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.choices{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;padding:0;list-style:none}
.quick{justify-content:flex-end;align-self:flex-end;max-width:92%}
.choices button{padding:7px 14px;border:1.5px solid var(--accent);border-radius:999px;background:#fff;color:var(--accent);font-size:14px;font-weight:600;line-height:1.2;transition:background .12s}
.choices button:hover{background:var(--accent-soft)}
.suggest{max-width:92%}
.suggest button{border-color:var(--line);color:var(--ink);font-weight:500;text-align:left;border-radius:12px}
.typing{display:flex;gap:4px;width:fit-content;margin:10px 0 4px;padding:13px 16px;border-radius:18px 18px 18px 6px;background:var(--bubble)}
.typing span{width:7px;height:7px;border-radius:50%;background:#6b7280;animation:blink 1.2s infinite ease-in-out}
.typing span:nth-child(2){animation-delay:.15s}.typing span:nth-child(3){animation-delay:.3s}
@keyframes blink{0%,80%,100%{opacity:.3;transform:translateY(0)}40%{opacity:1;transform:translateY(-3px)}}
.rating{margin:14px 0 6px;padding:14px 16px;border:1px solid var(--line);border-radius:14px;background:#fff}
.rating-title{margin:0;font-weight:650}
.rating fieldset{margin:0;padding:0;border:0;min-width:0}
.stars{position:relative;display:flex;gap:2px;margin:6px 0 10px}
.stars input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
.stars label{display:grid;place-items:center;width:38px;height:38px;border-radius:8px;cursor:pointer;color:#6b7280}
.stars svg{width:30px;height:30px;fill:none;stroke:currentColor;stroke-width:1.6;stroke-linejoin:round}
.stars label.lit{color:#b45309}
.stars label.lit svg{fill:#f59e0b}
.stars input:focus-visible+label{outline:3px solid var(--accent);outline-offset:1px}
.thanks{font-weight:600;text-align:center}
.rating textarea{display:block;width:100%;min-height:60px;margin:4px 0 10px;padding:8px 10px;border:1px solid #6b7280;border-radius:10px;resize:vertical}
.rating .label{font-size:13px;color:var(--muted)}
.rating .error{margin:0 0 8px;font-size:13px;color:#991b1b}
.primary{padding:8px 16px;border:0;border-radius:10px;background:var(--accent);color:#fff;font-weight:600}
.primary:hover{background:var(--accent-dark)}
.composer{display:flex;align-items:flex-end;gap:8px;margin:0;padding:10px 12px 12px 16px;border-top:1px solid var(--line);background:#fff}
.composer textarea{flex:1;min-height:24px;max-height:120px;margin:8px 0;padding:0;border:0;background:transparent;resize:none;line-height:1.5;outline:none}
.composer textarea::placeholder{color:#6b7280}
.composer:focus-within{box-shadow:inset 0 2px 0 var(--accent)}
.composer textarea:focus-visible{outline:none}
.send{flex:none;width:40px;height:40px;border:0;border-radius:50%;background:var(--accent);color:#fff;display:grid;place-items:center}
.send:hover{background:var(--accent-dark)}
.send svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2.2;stroke-linecap:round;stroke-linejoin:round}
.attach{flex:none;width:36px;height:40px;border:0;background:transparent;color:#4b5563;display:grid;place-items:center;border-radius:8px}
.attach:hover{color:var(--accent)}
.attach svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.files{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.msg.customer .files{justify-content:flex-end}
.thumb-button{padding:0;border:1px solid var(--line);border-radius:10px;background:#fff;overflow:hidden;cursor:zoom-in}
.thumb{display:block;max-width:200px;max-height:160px;min-width:40px;min-height:40px;object-fit:cover}
.file-link{border:1px solid var(--line);border-radius:10px;background:#fff;padding:8px 10px;color:var(--accent-dark);text-decoration:underline;cursor:pointer;max-width:240px;overflow-wrap:anywhere;text-align:left}
@media (max-width:480px){
.panel{inset:0;width:100%;height:100%;border-radius:0;animation:none}
.is-open .launcher{display:none}
.head{padding-top:max(18px,env(safe-area-inset-top))}
.composer{padding-bottom:max(12px,env(safe-area-inset-bottom))}
.composer textarea{font-size:16px}
}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
`;
}
