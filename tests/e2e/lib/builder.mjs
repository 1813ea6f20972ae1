// The journey builder, driven as a user drives it: palette blocks added with the keyboard or
// dragged onto the canvas, wires drawn between handles with the mouse.
import assert from 'node:assert/strict';
import { expectCount, expectVisible } from './browser.mjs';

// A block on the canvas, by its id.
export function blockById(page, id) {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

// The block of a type (the first, where there are several).
export function blockOfType(page, type) {
  return page.locator('.react-flow__node', { has: page.locator(`[data-block-type="${type}"]`) });
}

// A palette block by its whole name, "Wait" not "Wait until" (the name the block shows over its
// description, which its button's accessible name starts with).
export function paletteItem(page, label) {
  return page
    .getByRole('complementary', { name: 'Blocks' })
    .getByRole('button')
    .filter({ has: page.locator('.palette-label').getByText(label, { exact: true }) });
}

// Adds palette blocks with Enter, each after the block selected before (and wired to it).
export async function addBlocks(page, ...labels) {
  for (const label of labels) {
    const before = await page.locator('.react-flow__node').count();
    await paletteItem(page, label).focus();
    await page.keyboard.press('Enter');
    await expectCount(page.locator('.react-flow__node'), before + 1);
  }
}

// Drags a palette block onto the canvas at (x, y) of the canvas.
export async function dragBlock(page, label, x, y) {
  const before = await page.locator('.react-flow__node').count();
  await paletteItem(page, label).dragTo(page.locator('.canvas'), { targetPosition: { x, y } });
  await expectCount(page.locator('.react-flow__node'), before + 1);
}

// Connects two handles with the mouse, as a user drags a wire.
export async function wire(page, from, to) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  assert.ok(a && b, 'both handles are on screen');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

// The panel with the selected block's settings.
export function panelOf(page) {
  return page.getByRole('complementary', { name: 'Block settings' });
}

// Selects a block on the canvas; the panel shows its settings under its title.
export async function select(page, id, title) {
  await blockById(page, id).locator('.block-head').click();
  await expectVisible(panelOf(page).getByRole('heading', { name: title }));
}

// The selected Webhook block's webhook (its name starts with `name`), chosen in the picker.
export async function chooseWebhook(page, name) {
  await panelOf(page).getByRole('button', { name: 'Choose or create a webhook' }).click();
  const dialog = page.getByRole('dialog', { name: 'Choose or create a webhook' });
  await dialog.getByRole('radio', { name: new RegExp(`^${name}`) }).check();
  await dialog.getByRole('button', { name: 'Choose webhook' }).click();
}

// A custom event chosen in an event picker (a trigger's, a goal's, a Wait until's).
export async function chooseCustomEvent(panel, picker, name) {
  await panel.getByLabel(picker).selectOption({ label: 'Custom event…' });
  await panel.getByLabel('Custom event name').fill(name);
}

// Whether two boxes ({x, y, width, height}) overlap.
export function overlap(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
