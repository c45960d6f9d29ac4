// Self-test of layout.mjs's phone-layout audit (not a *.test.mjs, so `node --test tests/e2e/`
// leaves it out): a clean phone page must pass, and each bad page must fail with the problem it
// was built to show — so a layout check that passes in the app tests is known to be able to fail.
// Run: node tests/e2e/layout.selftest.mjs   (screenshots go to tests/e2e/artifacts/layout-selftest-*.png)
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.mjs';
import { checkPhoneLayout, phoneContext } from './layout.mjs';

const ARTIFACTS = fileURLToPath(new URL('./artifacts', import.meta.url));

const HEAD = `<!doctype html><html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  * { box-sizing: border-box; }
  body { margin: 0; padding: 16px; font: 16px/1.5 sans-serif; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
    overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
</style></head><body>`;
const page = (body, head = HEAD) => `${head}${body}</body></html>`;

// A phone page done right: every check has something to look at, and nothing to complain about.
const CLEAN = page(`
  <header><h1>画像分類ラボ</h1>
    <nav style="display:flex;flex-wrap:wrap;gap:8px">
      <a href="#/a" style="display:inline-block;min-height:44px;padding:10px">画像</a>
      <a href="#/b" style="display:inline-block;min-height:44px;padding:10px">データ拡張</a>
      <button style="min-width:44px;min-height:44px" aria-label="閉じる">×</button>
    </nav></header>
  <main>
    <p>長い日本語の段落はこの幅で普通に折り返されます。<a href="#help">ヘルプ</a>のような文中のリンクは対象サイズの例外です。
      Long English words such as internationalization also wrap within the column.</p>
    <ul><li>リスト項目の中の <a href="#x">リンク</a> も例外です。</li></ul>
    <label style="display:flex;align-items:center;gap:8px;min-height:44px">
      <input type="checkbox" style="width:24px;height:24px;margin:0"> 拡張を使う</label>
    <input type="file" id="file" class="visually-hidden">
    <label for="file" style="display:inline-block;padding:10px 16px;border:1px solid">画像を選ぶ</label>
    <details><summary style="min-height:44px;padding:10px 0">詳しい設定</summary>
      <button style="height:10px">閉じた details の中は見えない</button></details>
    <details open><summary style="min-height:44px;padding:10px 0">開いた設定</summary>
      <select style="min-height:44px;width:100%"><option>ResNet</option></select></details>
    <div style="overflow-x:auto;max-width:100%" tabindex="0">
      <table style="width:600px"><tr><td>横に長い表はスクロール枠の中なら問題ありません</td><td>1</td></tr></table>
    </div>
    <div style="display:grid;grid-template-columns:1fr 1fr;gap:8px">
      <div>左の列の文章</div><div>右の列の文章です。少し長めに書きます。</div>
    </div>
    <table><tr><td style="width:3em">OK</td><td>この行は隣のセルの文章が長いので三行以上になるかもしれませんが、最初のセルは短い単語だけです。</td></tr></table>
    <svg width="24" height="24" viewBox="0 0 100 100"><text x="0" y="50" font-size="400">大きな文字</text></svg>
    <span class="visually-hidden">スクリーンリーダー向けの説明文はここにあります</span>
    <button hidden style="width:2px">隠れたボタン</button>
    <div style="display:none"><a href="#z">見えないリンク</a></div>
  </main>`);

// Each bad page, the kinds of problem it must report (exactly), and the element the main one names.
const BAD = [
  { name: 'wide-table', kinds: ['overflow', 'page-overflow'], element: /^table/, html: page(`
    <p>表:</p><table style="width:600px;border-collapse:collapse"><tr><td>幅600pxの表</td><td>はみ出す</td></tr></table>`) },
  { name: 'narrow-column', kinds: ['one-char-lines'], element: /^div\.note "この説明文は/, html: page(`
    <div style="display:grid;grid-template-columns:10px 1fr;gap:8px">
      <div class="note">この説明文は細い列に入れられて一文字ずつ折り返されます。</div><div>本文</div></div>`) },
  { name: 'letter-spaced', kinds: ['one-char-lines'], element: /^div#spaced/, html: page(`
    <div id="spaced" style="width:5em;letter-spacing:3em">あいうえおかき</div>`) },
  { name: 'spill', kinds: ['spill'], element: /^div#card/, html: page(`
    <div id="card" style="width:100px;border:1px solid">
      <code>${'x'.repeat(25)}</code></div>`) },
  { name: 'small-checkbox', kinds: ['target-size'], element: /^input#c\[type=checkbox\]/, html: page(`
    <p><input type="checkbox" id="c" style="width:13px;height:13px;margin:0"> <label for="c">小さいチェックボックス</label></p>`) },
  { name: 'small-link', kinds: ['target-size'], element: /^a "次へ"/, html: page(`
    <nav><a href="#next" style="font-size:12px;line-height:1">次へ</a></nav>`) },
  { name: 'short-summary', kinds: ['target-size'], element: /^summary "詳細"/, html: page(`
    <details><summary style="display:block;height:16px;line-height:16px;font-size:14px">詳細</summary>中身</details>`) },
  { name: 'hidden-file-label', kinds: ['target-size'], element: /^label "画像を選ぶ"/, html: page(`
    <input type="file" id="f" class="visually-hidden">
    <label for="f" style="display:inline-block;height:20px;line-height:20px;font-size:14px">画像を選ぶ</label>`) },
  { name: 'no-meta-viewport', kinds: ['viewport'], element: /^document$/,
    html: page('<p>viewport の meta がないページ</p>', HEAD.replace(/<meta name="viewport"[^>]*>/, '')) },
];

const browser = await launch();
let failed = 0;
async function run(name, html, check, options = {}) {
  const context = await phoneContext(browser);
  const tab = await context.newPage();
  try {
    await tab.setContent(html);
    const problems = await checkPhoneLayout(tab, `selftest-${name}`, { artifacts: ARTIFACTS, soft: true, ...options });
    check(problems);
    console.log(`ok   ${name}: ${problems.length ? `fails as it should, with ${problems.length} problem(s)` : 'no problems'}`);
    for (const p of problems) console.log(`       [${p.kind}] ${p.element}: ${p.detail}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  } finally {
    await context.close();
  }
}

await run('clean', CLEAN, (problems) => assert.deepEqual(problems, [], 'the clean page must pass'));
for (const bad of BAD) {
  await run(bad.name, bad.html, (problems) => {
    assert.deepEqual([...new Set(problems.map((p) => p.kind))].sort(), bad.kinds,
      `kinds reported: ${JSON.stringify(problems, null, 1)}`);
    assert.ok(problems.some((p) => p.kind === bad.kinds[0] && bad.element.test(p.element)),
      `no ${bad.kinds[0]} problem naming ${bad.element}: ${JSON.stringify(problems, null, 1)}`);
  });
}

// `ignore` tolerates a known exception explicitly.
await run('ignored', BAD.find((b) => b.name === 'small-checkbox').html,
  (problems) => assert.deepEqual(problems, []), { ignore: ['#c'] });

// Without `soft`, a problem is an AssertionError that lists it and carries the list.
{
  const context = await phoneContext(browser);
  const tab = await context.newPage();
  await tab.setContent(BAD[0].html);
  await assert.rejects(checkPhoneLayout(tab, 'selftest-throws', { artifacts: ARTIFACTS }), (e) => {
    assert.ok(e instanceof assert.AssertionError);
    assert.match(e.message, /\[overflow\] table/);
    assert.ok(e.problems.length >= 1);
    return true;
  }).then(() => console.log('ok   throws: an AssertionError listing the problems'),
    (e) => { failed++; console.log(`FAIL throws: ${e.message}`); });
  await context.close();
}

await browser.close();
console.log(failed ? `\n${failed} self-test case(s) failed` : `\nall ${BAD.length + 3} self-test cases passed`);
process.exitCode = failed ? 1 : 0;
