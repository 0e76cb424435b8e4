/// The status page's inline stylesheet: neutral colours that follow the system light/dark setting.
enum StatusPageStyle {
    static let css = """
        :root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1d2330;--muted:#5d6778;--line:#dde1e8;\
        --bar:#dfe3ea;--ok:#1f9d55;--warn:#c77700;--crit:#d0342c;--info:#2f6fdf;--spark:#2f6fdf}
        @media (prefers-color-scheme:dark){:root{--bg:#15181e;--card:#1d2129;--fg:#e6e9ef;--muted:#9aa3b2;\
        --line:#2c323d;--bar:#2c323d;--ok:#3fbf73;--warn:#e5a13a;--crit:#f0625a;--info:#6b9cf5;--spark:#6b9cf5}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,\
        "Noto Sans","PingFang SC","Microsoft YaHei",sans-serif}
        main{max-width:1280px;margin:0 auto;padding:16px 20px 40px}
        header{display:flex;flex-wrap:wrap;align-items:baseline;gap:8px 24px;margin-bottom:12px}
        h1{font-size:20px;margin:0}h2{font-size:15px;margin:0 0 8px;color:var(--muted);font-weight:600;\
        text-transform:uppercase;letter-spacing:.04em}
        .meta{color:var(--muted);font-size:12px}
        .chips{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 16px}
        .chip{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:150px}
        .chip b{display:block;font-size:20px;font-variant-numeric:tabular-nums}
        .chip span{color:var(--muted);font-size:12px}
        section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:0 0 16px}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:10px 24px}
        .grid.wide{grid-template-columns:repeat(auto-fill,minmax(340px,1fr))}
        table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
        th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
        th{color:var(--muted);font-weight:600;font-size:12px}
        td.n,th.n{text-align:right}
        tr:target{outline:2px solid var(--info);outline-offset:-2px}
        .scroll{overflow-x:auto}
        .crit{color:var(--crit)}.warn{color:var(--warn)}.ok{color:var(--ok)}.info{color:var(--info)}.muted{color:var(--muted)}
        .badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;border:1px solid currentColor}
        .region{display:grid;grid-template-columns:minmax(48px,max-content) minmax(32px,1fr) max-content;align-items:center;gap:10px}
        .region b{white-space:nowrap}
        .region .v{text-align:right;font-variant-numeric:tabular-nums;font-size:13px}
        svg{display:block}
        .bar-bg{fill:var(--bar)}.bar-ok{fill:var(--ok)}.bar-warn{fill:var(--warn)}.bar-crit{fill:var(--crit)}
        .spark{fill:none;stroke:var(--spark);stroke-width:1.5}
        .pool{display:grid;grid-template-columns:1fr auto;gap:2px 10px;align-items:end}
        .pool>span:first-child{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        .pool .rules{grid-column:1/-1;color:var(--muted);font-size:11px}
        .alert{display:flex;gap:10px;align-items:baseline;padding:4px 0;border-bottom:1px solid var(--line)}
        .alert:last-child{border-bottom:0}
        .muted-row{opacity:.6}
        .groups{display:flex;flex-wrap:wrap;gap:6px 16px;margin:0 0 8px;font-size:13px}
        .group b{font-variant-numeric:tabular-nums}
        details>summary{cursor:pointer;color:var(--info);padding:6px 0}
        .alert .badge+.badge{margin-left:-4px}
        a{color:var(--info)}
        .empty{color:var(--muted);font-style:italic}
        """
}
