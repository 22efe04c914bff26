import { ShapeError } from '@seqgen/core';
import { type StepTrace, unitName } from './sequence-trace.js';

/** One unit's activation per position, under a display name. */
export type ExplorerUnit = {
  /** Display name, e.g. `L0 c 17` ({@link unitName}). */
  name: string;
  /** One value per position. */
  values: ArrayLike<number>;
};

/** A neuron-search result shown beside the text. */
export type ExplorerFinding = {
  /** Feature name. */
  feature: string;
  /** Unit name (one of the explorer's units). */
  unit: string;
  /** Pearson correlation with the feature. */
  correlation: number;
  /** Change of mean loss where the feature holds when the unit is zeroed (nats). */
  deltaHolds?: number;
  /** Change of mean loss elsewhere when the unit is zeroed (nats). */
  deltaElsewhere?: number;
};

/** A seq2seq attention matrix to draw: rows are target tokens, columns source tokens. */
export type ExplorerAttention = {
  /** Caption. */
  title: string;
  /** Column labels. */
  sourceTokens: string[];
  /** Row labels. */
  targetTokens: string[];
  /** `targetTokens.length × sourceTokens.length` weights, row-major. */
  weights: ArrayLike<number>;
};

/** A saliency strip: tokens coloured by their attribution. */
export type ExplorerSaliency = {
  /** Caption (e.g. what output is explained). */
  title: string;
  /** Token texts. */
  tokens: string[];
  /** One attribution per token. */
  values: ArrayLike<number>;
};

/** Everything the explorer page shows. */
export type ExplorerData = {
  /** Page title. */
  title?: string;
  /** The text, one display string per position. */
  tokens: string[];
  /** Units the selector offers, each with one value per position. */
  units: ExplorerUnit[];
  /** Unit coloured first (default: the first finding's, else the first unit). */
  selectedUnit?: string;
  /** Neuron-search results, listed and clickable. */
  findings?: ExplorerFinding[];
  /** Attention matrices (seq2seq). */
  attention?: ExplorerAttention[];
  /** Saliency strips. */
  saliency?: ExplorerSaliency[];
};

/**
 * Every unit of the chosen quantities of a trace as explorer units
 * (`L{layer} {quantity} {unit}`), default the cell and hidden states.
 */
export function explorerUnitsFromTrace(trace: StepTrace, quantities: readonly string[] = ['c', 'h']): ExplorerUnit[] {
  const units: ExplorerUnit[] = [];
  trace.layers.forEach((layer, l) => {
    for (const quantity of quantities) {
      const q = layer.quantities[quantity];
      if (!q) continue;
      for (let unit = 0; unit < q.size; unit++) {
        const values = new Float32Array(trace.steps);
        for (let t = 0; t < trace.steps; t++) values[t] = q.values[t * q.size + unit] as number;
        units.push({ name: unitName({ layer: l, quantity, unit }), values });
      }
    }
  });
  return units;
}

/**
 * One self-contained HTML page (inline CSS, script and data; opens offline):
 * the text coloured by the selected unit's activation (blue at its lowest,
 * red at its highest on the text), a unit selector and search box, on hover the five units most
 * active at that position, the findings table, attention matrices and
 * saliency strips. Units whose length is not the token count are a ShapeError.
 */
export function explorerHtml(data: ExplorerData): string {
  const n = data?.tokens?.length ?? 0;
  if (n === 0) throw new ShapeError('tokens', 'at least one token', 'none (empty text)', 'explorerHtml');
  data.units.forEach((u, k) => {
    if (u.values.length !== n)
      throw new ShapeError(`units[${k}].values`, `${n} values (one per token)`, `${u.values.length}`, 'explorerHtml');
  });
  data.attention?.forEach((a, k) => {
    const want = a.sourceTokens.length * a.targetTokens.length;
    if (a.weights.length !== want)
      throw new ShapeError(`attention[${k}].weights`, `${want} values`, `${a.weights.length}`, 'explorerHtml');
  });
  data.saliency?.forEach((s, k) => {
    if (s.values.length !== s.tokens.length) {
      throw new ShapeError(`saliency[${k}].values`, `${s.tokens.length} values`, `${s.values.length}`, 'explorerHtml');
    }
  });
  const round = (v: ArrayLike<number>) => Array.from(v, (x) => Math.round(x * 1000) / 1000);
  const payload = {
    title: data.title ?? 'seqgen explorer',
    tokens: data.tokens,
    units: data.units.map((u) => ({ name: u.name, values: round(u.values) })),
    selectedUnit: data.selectedUnit ?? data.findings?.[0]?.unit ?? data.units[0]?.name ?? '',
    findings: data.findings ?? [],
    attention: (data.attention ?? []).map((a) => ({ ...a, weights: round(a.weights) })),
    saliency: (data.saliency ?? []).map((s) => ({ ...s, values: round(s.values) })),
  };
  // `<` escaped so that no string in the data can close the script element.
  const json = JSON.stringify(payload).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(payload.title)}</title>
<style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(payload.title)}</h1>
<div id="controls"><label>unit <select id="unit"></select></label>
<label>search <input id="unit-search" placeholder="e.g. c 17" autocomplete="off"></label>
<span id="unit-range"></span></div>
<div id="text"></div>
<div id="hover">hover a character to see the units most active there</div>
<section id="findings"></section>
<section id="attention"></section>
<section id="saliency"></section>
<script type="application/json" id="data">${json}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:sans-serif;margin:1.5em;color:#222}
#text{font-family:monospace;font-size:15px;line-height:1.6;white-space:pre-wrap;border:1px solid #ccc;padding:.6em;max-width:60em}
#text span{cursor:default}#controls{margin:.5em 0}#controls label{margin-right:1em}
#hover{font-family:monospace;margin:.5em 0;min-height:1.5em;color:#444}
table{border-collapse:collapse;margin:.5em 0}td,th{font-family:monospace;font-size:12px;padding:2px 4px}
#findings tr{cursor:pointer}#findings tr:hover{background:#eef}.att td{width:18px;height:18px;padding:0}
.strip span{font-family:monospace;font-size:15px;white-space:pre}`;

// Runs in the page: plain ES2017, no imports.
const SCRIPT = `(function(){
var data=JSON.parse(document.getElementById('data').textContent);
var byName={};data.units.forEach(function(u){byName[u.name]=u;});
function colour(v,lo,hi){var half=(hi-lo)/2;var s=half>0?Math.max(-1,Math.min(1,(v-(lo+hi)/2)/half)):0;
var f=Math.round(255-191*Math.abs(s));return s>=0?'rgb(255,'+f+','+f+')':'rgb('+f+','+f+',255)';}
function maxAbs(vs){var m=0;for(var i=0;i<vs.length;i++)m=Math.max(m,Math.abs(vs[i]));return m;}
function range(vs){var lo=Infinity,hi=-Infinity;for(var i=0;i<vs.length;i++){lo=Math.min(lo,vs[i]);hi=Math.max(hi,vs[i]);}return [lo,hi];}
function show(t){return t==='\\n'?'\\u21b5\\n':t;}
var text=document.getElementById('text');var spans=[];
data.tokens.forEach(function(t,i){var s=document.createElement('span');s.textContent=show(t);s.dataset.pos=String(i);
s.addEventListener('mouseenter',function(){hover(i);});text.appendChild(s);spans.push(s);});
var select=document.getElementById('unit');
data.units.forEach(function(u){var o=document.createElement('option');o.value=u.name;o.textContent=u.name;select.appendChild(o);});
function choose(name){var u=byName[name];if(!u)return;select.value=name;var r=range(u.values);
spans.forEach(function(s,i){s.style.background=colour(u.values[i],r[0],r[1]);s.title=name+' = '+u.values[i];});
document.body.dataset.unit=name;
document.getElementById('unit-range').textContent='blue '+r[0].toFixed(3)+' \u2026 red '+r[1].toFixed(3);}
select.addEventListener('change',function(){choose(select.value);});
var search=document.getElementById('unit-search');
search.addEventListener('input',function(){var q=search.value.trim().toLowerCase();if(!q)return;
var hit=data.units.find(function(u){return u.name.toLowerCase()===q;})||data.units.find(function(u){return u.name.toLowerCase().indexOf(q)>=0;});
if(hit)choose(hit.name);});
function hover(i){var top=data.units.map(function(u){return [u.name,u.values[i]];})
.sort(function(a,b){return Math.abs(b[1])-Math.abs(a[1]);}).slice(0,5);
document.getElementById('hover').textContent='position '+i+' '+JSON.stringify(data.tokens[i])+': '+
top.map(function(p){return p[0]+' '+p[1].toFixed(3);}).join(', ');}
if(data.findings.length){var h='<h2>neuron search</h2><table><tr><th>feature</th><th>unit</th><th>correlation</th><th>Δloss where it holds</th><th>Δloss elsewhere</th></tr>';
data.findings.forEach(function(f,k){h+='<tr data-k="'+k+'"><td>'+esc(f.feature)+'</td><td>'+esc(f.unit)+'</td><td>'+f.correlation.toFixed(3)+'</td><td>'+fmt(f.deltaHolds)+'</td><td>'+fmt(f.deltaElsewhere)+'</td></tr>';});
var sec=document.getElementById('findings');sec.innerHTML=h+'</table>';
sec.querySelectorAll('tr[data-k]').forEach(function(r){r.addEventListener('click',function(){choose(data.findings[+r.dataset.k].unit);});});}
function fmt(v){return typeof v==='number'?(v>=0?'+':'')+v.toFixed(4):'';}
function esc(s){return String(s).replace(/[&<>"]/g,function(c){return '&#'+c.charCodeAt(0)+';';});}
if(data.attention.length){var a=document.getElementById('attention');var h2='<h2>attention</h2>';
data.attention.forEach(function(m){var S=m.sourceTokens.length;h2+='<p>'+esc(m.title)+'</p><table class="att"><tr><th></th>';
m.sourceTokens.forEach(function(s){h2+='<th>'+esc(s)+'</th>';});h2+='</tr>';
m.targetTokens.forEach(function(t,r){h2+='<tr><th>'+esc(t)+'</th>';for(var c=0;c<S;c++){var w=m.weights[r*S+c];
h2+='<td title="'+w+'" style="background:'+colour(w,-1,1)+'"></td>';}h2+='</tr>';});h2+='</table>';});a.innerHTML=h2;}
if(data.saliency.length){var sv=document.getElementById('saliency');var h3='<h2>saliency</h2>';
data.saliency.forEach(function(s){var m=maxAbs(s.values);h3+='<p>'+esc(s.title)+'</p><div class="strip">';
s.tokens.forEach(function(t,i){h3+='<span title="'+s.values[i]+'" style="background:'+colour(s.values[i],-m,m)+'">'+esc(show(t))+'</span>';});h3+='</div>';});sv.innerHTML=h3;}
choose(data.selectedUnit);
})();`;
