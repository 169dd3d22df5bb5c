// One test's world: a fresh tablet (browser context) on a real feedbackd, gone afterwards.

import { Feedbackd } from './feedbackd.mjs';
import { closeTablet, newTablet } from './kiosk.mjs';

// Runs `body({server, page, context, newItems})` on a new tablet of `browser` talking to
// `server`. `newItems()` reads the feedback items feedbackd stored since the test began (other
// tests of the file share the server).
export async function withTablet(browser, server, tabletOptions, body) {
  const known = new Set((await server.allFeedback()).map((item) => item.id));
  const newItems = async () => (await server.allFeedback()).filter((item) => !known.has(item.id));
  let tablet = await newTablet(browser, tabletOptions);
  try {
    await body({ server, page: tablet.page, context: tablet.context, newItems });
    await closeTablet(tablet);
    tablet = null;
  } finally {
    if (tablet) await tablet.context.close().catch(() => {});
  }
}

// The same with a feedbackd of its own, for a test that stops and starts it.
export async function withOwnServer(browser, tabletOptions, body) {
  const server = await Feedbackd.start();
  try {
    await withTablet(browser, server, tabletOptions, body);
  } finally {
    await server.stop();
  }
}
