// What a page shows, measured: the journey canvas's blocks and wires, focus rings and their
// contrast; and a port where nothing listens, for a refused connection.
import { createServer } from 'node:net';

// Each block's box on screen, and for each wire whether its path is drawable (no NaN) and how
// much of it lies outside every block, that is, can be seen rather than running behind them.

export async function canvasGeometry(page) {
  return page.evaluate(() => {
    const nodes = [...document.querySelectorAll('.react-flow__node')].map((n) => {
      const r = n.getBoundingClientRect();
      return { id: n.getAttribute('data-id'), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
    const inside = (x, y) =>
      nodes.some((n) => x > n.left + 1 && x < n.right - 1 && y > n.top + 1 && y < n.bottom - 1);
    const edges = [...document.querySelectorAll('.react-flow__edge')].map((g) => {
      const path = g.querySelector('path.react-flow__edge-path');
      const d = path?.getAttribute('d') ?? '';
      let length = 0;
      let outside = 0;
      const samples = 60;
      if (path && !/NaN/.test(d)) {
        length = path.getTotalLength();
        const ctm = path.getScreenCTM();
        for (let i = 0; i <= samples; i++) {
          const p = path.getPointAtLength((length * i) / samples);
          const x = ctm.a * p.x + ctm.c * p.y + ctm.e;
          const y = ctm.b * p.x + ctm.d * p.y + ctm.f;
          if (!inside(x, y)) outside++;
        }
      }
      return {
        id: g.getAttribute('data-id') ?? g.getAttribute('data-testid') ?? '',
        className: g.getAttribute('class') ?? '',
        d,
        length,
        outsideFraction: outside / (samples + 1),
      };
    });
    return { nodes, edges };
  });
}

// Whether two boxes overlap.
export function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

// WCAG contrast ratio of two CSS colours ("rgb(r, g, b)" or "rgba(...)" over white).
export function contrast(a, b) {
  const lum = (css) => {
    const [r, g, bl, alpha = 1] = css.match(/[\d.]+/g).map(Number);
    return [r, g, bl]
      .map((c) => alpha * c + (1 - alpha) * 255)
      .map((c) => c / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// The keyboard focus ring of the focused element, and the colour behind it.
export async function focusRing(locator) {
  return locator.evaluate((el) => {
    const cs = getComputedStyle(el);
    let behind = 'rgb(255, 255, 255)';
    for (let at = el.parentElement; at; at = at.parentElement) {
      const bg = getComputedStyle(at).backgroundColor;
      if (bg !== 'transparent' && !/rgba\(.*, 0\)$/.test(bg)) {
        behind = bg;
        break;
      }
    }
    return {
      focusVisible: el.matches(':focus-visible'),
      style: cs.outlineStyle,
      width: parseFloat(cs.outlineWidth),
      color: cs.outlineColor,
      behind,
    };
  });
}

// A loopback port with nothing listening: connecting to it is refused.
export async function closedPort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
