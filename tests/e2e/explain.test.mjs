// The course's own Day-1 examples in the image lab (issue #20), on a 390×844 phone: the worked
// convolution loaded from its preset reads 50, then 80 one step to the right, then a zero-padded
// step at the corner; a typed-in cell changes the sum; and the sample photo cut into ViT's
// patches gives the counts ("224×224×3 → 196 patches of 768 values"). The image lab then passes
// the phone layout check (tests/e2e/layout.mjs) with both views open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { useApp, server, browser } from './harness.mjs';
import { checkPhoneLayout, phoneContext } from './layout.mjs';

const ARTIFACTS = fileURLToPath(new URL('./artifacts', import.meta.url));

useApp();

/** The course-style expression of the current step, `10×0+20×1+… = 50`. */
const expression = (page) => page.locator('#explain-expression').textContent();

async function expectStep(page, text) {
  await page.locator('#explain-expression', { hasText: text }).waitFor();
  assert.equal(await expression(page), text);
}

test('the course\'s worked convolution (50, 80, zero padding) and ViT\'s patches of the sample photo', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  assert.deepEqual(page.viewportSize(), { width: 390, height: 844 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?lang=ja#/image`);
  await page.locator('#image-heading').waitFor({ timeout: 60_000 });

  // The preset: the course's image and kernel, no padding — the kernel on the top-left 3×3
  // window: 20 + 40 − 40 + 30 = 50.
  await page.locator('#explain-course').tap();
  await expectStep(page, '10×0+20×1+10×0+30×0+10×4+20×−2+10×0+30×1+10×0 = 50');
  await page.locator('#explain-sum', { hasText: '合計 = 50' }).waitFor();
  assert.equal(await page.locator('#explain-pad').isChecked(), false);
  assert.equal(await page.locator('#filter-kind').inputValue(), 'custom');
  assert.equal(await page.locator('#filter-border').inputValue(), 'zero');
  assert.equal(await page.locator('#kernel-2-1').inputValue(), '-2');
  assert.equal(await page.locator('#explain-source').inputValue(), 'own');
  // The input's first three rows are the course's, one number field per cell.
  const row = (y) => Promise.all([0, 1, 2, 3].map((x) => page.locator(`#explain-cell-${x}-${y}`).inputValue()));
  assert.deepEqual(await row(0), ['10', '20', '10', '30']);
  assert.deepEqual(await row(1), ['30', '10', '20', '10']);
  assert.deepEqual(await row(2), ['10', '30', '10', '20']);
  assert.match(await page.locator('#explain-position').textContent(), /1\/4 \(x=1, y=1\)/);
  // Without padding the 4×4 input gives a 2×2 output.
  assert.equal(await page.locator('#explain-output td').count(), 4);

  // One step to the right: 10 + 80 − 20 + 10 = 80.
  await page.locator('#explain-next').tap();
  await expectStep(page, '20×0+10×1+30×0+10×0+20×4+10×−2+30×0+10×1+20×0 = 80');
  await page.locator('#explain-sum', { hasText: '合計 = 80' }).waitFor();
  const output = await page.locator('#explain-output td').allTextContents();
  assert.deepEqual(output, ['50', '80', '', '']);

  // Zero padding: the kernel's centre on the top-left pixel hangs over the edge; the outside
  // cells count as 0: 10×4 + 20×−2 + 30×1 = 30. The output keeps the input's size.
  await page.locator('#explain-pad').check();
  await expectStep(page, '0×0+0×1+0×0+0×0+10×4+20×−2+0×0+30×1+10×0 = 30');
  await page.locator('#explain-padded').waitFor();
  assert.match(await page.locator('#explain-position').textContent(), /1\/16 \(x=0, y=0\)/);
  const outside = await page.locator('#explain-input td.outside').allTextContents();
  assert.equal(outside.length, 6 * 6 - 4 * 4);
  assert.ok(outside.every((v) => v === '0'), `the padding is zeros: ${outside}`);
  assert.equal(await page.locator('#explain-output td').count(), 16);

  // A typed-in value: the top-left pixel 10 → 100 makes the corner 100×4 − 40 + 30 = 390.
  await page.fill('#explain-cell-0-0', '100');
  await page.locator('#explain-cell-0-0').dispatchEvent('change');
  await expectStep(page, '0×0+0×1+0×0+0×0+100×4+20×−2+0×0+30×1+10×0 = 390');
  // The size selector grows the input (new cells 0) up to 8×8.
  await page.selectOption('#explain-size', '5');
  await page.locator('#explain-cell-4-4').waitFor();
  assert.equal(await page.locator('#explain-cell-4-4').inputValue(), '0');
  assert.equal(await page.locator('#explain-cell-0-0').inputValue(), '100');
  // And the preset brings the course's example back.
  await page.locator('#explain-course').tap();
  await expectStep(page, '10×0+20×1+10×0+30×0+10×4+20×−2+10×0+30×1+10×0 = 50');
  await page.locator('#explain-next').tap();
  await expectStep(page, '20×0+10×1+30×0+10×0+20×4+10×−2+30×0+10×1+20×0 = 80');

  // ViT's patches of the sample photo (320×240): P = 16 tiles it, 20 × 15 = 300 patches.
  await page.locator('#image-sample').tap();
  await page.locator('#patches-open').tap();
  await page.locator('#patches-count', { hasText: '320×240×3 → 300 枚のパッチ、各 768 個の値' }).waitFor();
  assert.equal(await page.locator('#patches-strip li').count(), 300);
  assert.equal(await page.locator('#patches-open').getAttribute('aria-expanded'), 'true');
  assert.match(await page.locator('#patches-dropped').textContent(), /捨てる画素はありません/);
  assert.match(await page.locator('#patches-flat').textContent(), /768 個の値/);
  // As ViT does: 224×224 first → 196 patches of 768 values.
  await page.locator('#patches-vit').check();
  await page.locator('#patches-count', { hasText: '224×224×3 → 196 枚のパッチ、各 768 個の値' }).waitFor();
  assert.equal(await page.locator('#patches-strip li').count(), 196);
  assert.match(await page.locator('#patches-resized').textContent(), /320×240 → 224×224/);
  // P = 32 on the photo itself: 240 = 7 × 32 + 16, so the bottom 16 pixel rows are dropped.
  await page.locator('#patches-vit').uncheck();
  await page.selectOption('#patches-size', '32');
  await page.locator('#patches-count', { hasText: '320×240×3 → 70 枚のパッチ、各 3072 個の値' }).waitFor();
  assert.match(await page.locator('#patches-dropped').textContent(), /右 0 px, 下 16 px/);
  // Back to the default P = 16 for the layout check; the grid picture is drawn.
  await page.selectOption('#patches-size', '16');
  await page.locator('#patches-count', { hasText: '→ 300 枚のパッチ' }).waitFor();
  // The photo with the patch grid is drawn, scaled up to at least 640 px wide (320×240 → 640×480).
  await page.waitForFunction(() => {
    const c = document.querySelector('#patches-picture');
    return c && c.width === 640 && c.height === 480;
  });

  // The image lab with both views open holds its phone layout.
  await page.locator('#explain-expression').scrollIntoViewIfNeeded();
  await checkPhoneLayout(page, 'image-explain', { artifacts: ARTIFACTS });
  assert.deepEqual(errors, []);
  await context.close();
});
