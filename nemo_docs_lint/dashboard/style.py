"""The dashboard's inline stylesheet: system fonts, readable from a phone to a wide screen."""

CSS = """
:root{--fg:#1d2330;--muted:#5c6577;--line:#dfe3ea;--bg:#f6f7f9;--card:#fff;--accent:#3d5bd9;
--error:#c62828;--warning:#a86400;--note:#1565c0;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:var(--fg);background:var(--bg)}
header{background:#1f2a44;color:#fff;padding:18px 24px 10px}
header h1{margin:0 0 4px;font-size:1.45rem;overflow-wrap:anywhere}
header .sub{margin:0 0 10px;color:#c9d2e6}
nav{display:flex;flex-wrap:wrap;gap:6px}
nav a{color:#fff;background:rgba(255,255,255,.12);padding:3px 9px;border-radius:12px;
text-decoration:none;font-size:.85rem;white-space:nowrap}
nav a .n{opacity:.7}
main{max-width:1560px;margin:0 auto;padding:8px 20px 40px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:14px 18px;margin:16px 0}
h2{font-size:1.2rem;margin:0 0 8px}
h4{margin:0 0 6px;font-size:.95rem}
a{color:var(--accent)}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:#eef1f6;font-weight:600}
table.overview td.name,table.overview th.name{position:sticky;left:0;background:var(--card);
min-width:11em;max-width:18em}
table.overview thead th:first-child{position:sticky;left:0;z-index:1}
tfoot th,tfoot td{font-weight:600;border-top:2px solid var(--line)}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.num.zero{color:#9aa2b1}
td.num.error{color:var(--error);font-weight:600}
td.num.warning{color:var(--warning);font-weight:600}
td.num.note{color:var(--note)}
td.fm{white-space:nowrap}
.meter{display:inline-block;width:60px;height:8px;background:#e6e9ef;border-radius:4px;
vertical-align:middle;overflow:hidden}
.meter .fill{display:block;height:100%;background:var(--ok)}
.status,.prio,.chip,.count,.code{display:inline-block;padding:1px 8px;border-radius:10px;
font-size:.78rem;font-weight:600;white-space:nowrap}
.status.ready{background:#e3f4e4;color:var(--ok)}
.status.needs-work{background:#fff1d6;color:var(--warning)}
.status.blocked{background:#fde4e4;color:var(--error)}
.status.empty,.prio.none{background:#eceff3;color:var(--muted)}
.prio.high{background:#ffe7e0;color:#b23c17}
.prio.medium{background:#fff4d1;color:#8a6100}
.prio.low{background:#e7f0fb;color:#2d5b9a}
h2 .status,h2 .prio{vertical-align:middle;margin-left:4px}
.chip{background:#eef1f6;color:var(--fg);font-weight:500;margin:0 4px 4px 0}
.count.error,.code.error{background:#fde4e4;color:var(--error)}
.count.warning,.code.warning{background:#fff1d6;color:var(--warning)}
.count.note,.code.note{background:#e3eefb;color:var(--note)}
.count{margin-left:6px}
.chartbox{margin-top:12px;overflow-x:auto}
.chart{max-width:640px;font-size:.8rem;line-height:1.65}
.chart .bar{display:grid;grid-template-columns:minmax(0,2fr) 3fr 3em;gap:8px;align-items:center}
.chart .label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chart .track{display:flex;height:12px}
.chart .fill{display:block;height:100%}
.chart .n{font-variant-numeric:tabular-nums}
.chart .legend{display:flex;flex-wrap:wrap;gap:2px 14px;margin-bottom:2px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:5px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 12px}
details summary{cursor:pointer}
details.missing{font-size:.85rem;margin-top:4px}
details.missing ul{max-height:14em;overflow:auto;margin:4px 0;padding-left:18px}
details.meta{margin:8px 0 10px}
details.meta>summary{font-weight:600;color:var(--muted)}
details.meta .cards{margin-top:8px}
.facts{margin:0 0 6px;color:var(--muted)}
.codes{margin:4px 0}
ul.files{list-style:none;margin:0;padding:0;border-top:1px solid var(--line)}
li.file{border-bottom:1px solid var(--line);padding:6px 4px}
li.file .line{overflow-wrap:anywhere}
li.file.blocked{border-left:3px solid var(--error);padding-left:8px}
li.file.needs-work{border-left:3px solid #e0a200;padding-left:8px}
li.file.clean{border-left:3px solid #bfe3c1;padding-left:8px}
li.file summary{padding-left:2px}
.about{font-size:.85rem;color:var(--muted);margin:2px 0 0}
.about .title{font-weight:600;color:var(--fg);margin-right:8px}
.about .desc{overflow-wrap:anywhere}
.ok{color:var(--ok);font-size:.82rem;margin-left:6px}
.flag{background:#fff1d6;color:var(--warning);font-size:.78rem;padding:1px 6px;border-radius:8px;
margin-left:6px}
a.repo{font-size:.78rem;margin-left:4px}
table.diags{margin:6px 0 4px;font-size:.85rem}
table.diags td:first-child{white-space:nowrap}
table.diags td{overflow-wrap:anywhere}
.callout{border-color:#f2c46d;background:#fffaf0}
.warn{color:var(--warning);margin:4px 0}
.top{margin:8px 0 0;font-size:.85rem}
footer{text-align:center;color:var(--muted);font-size:.8rem;padding:0 16px 24px}
@media (max-width:600px){
 header{padding:12px 14px 8px} header h1{font-size:1.2rem}
 main{padding:4px 8px 24px} section{padding:10px 10px;margin:10px 0}
 th,td{padding:5px 6px} table{font-size:.84rem}
 .cards{grid-template-columns:1fr}
}
@media (max-width:960px){
 table.overview thead{display:none}
 table.overview,table.overview tbody,table.overview tfoot,table.overview tr{display:block}
 table.overview tr{border-bottom:1px solid var(--line);padding:4px 0}
 table.overview td,table.overview th{display:flex;justify-content:space-between;gap:8px;
 border:0;padding:2px 4px;text-align:right}
 table.overview td::before{content:attr(data-label);color:var(--muted);text-align:left}
 table.overview td.name,table.overview th.name{position:static;max-width:none;font-size:1rem}
}
""".strip()
