// The five faces of "How was today?", drawn (no emoji, no image files): 1 very bad … 5 very
// good. Each face differs in its mouth and brows as well as its colour, so colour is never the
// only cue; the word under it says it too.

const SVG = 'http://www.w3.org/2000/svg';

const MOUTHS = {
  1: 'M30 76 Q50 56 70 76',
  2: 'M33 72 Q50 64 67 72',
  3: 'M34 69 L66 69',
  4: 'M32 63 Q50 78 68 63',
};

function element(name, attributes) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

// An <svg> face for `rating` (1..5), hidden from assistive technology (its button has the word).
export function drawFace(rating) {
  const svg = element('svg', { viewBox: '0 0 100 100', 'aria-hidden': 'true', focusable: 'false' });
  svg.append(element('circle', { class: 'face-outline', cx: 50, cy: 50, r: 46 }));
  svg.append(element('circle', { class: 'face-eye', cx: 35, cy: 41, r: 5.5 }));
  svg.append(element('circle', { class: 'face-eye', cx: 65, cy: 41, r: 5.5 }));
  if (rating === 1) {
    svg.append(element('path', { class: 'face-feature', d: 'M24 31 L42 26' }));
    svg.append(element('path', { class: 'face-feature', d: 'M58 26 L76 31' }));
  }
  if (rating === 5) {
    svg.append(element('path', { class: 'face-mouth-open', d: 'M27 58 Q50 92 73 58 Z' }));
  } else {
    svg.append(element('path', { class: 'face-feature', d: MOUTHS[rating] }));
  }
  return svg;
}
