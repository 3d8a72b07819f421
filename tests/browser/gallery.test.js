// Event photos in a real browser, on the built example site: the gallery of
// thumbnails and its lightbox by keyboard, from disk (file://) and under a
// sub-path over HTTP, at a phone's width (390 px); without JavaScript a
// thumbnail is a plain link to its photo. The home page's 图片新闻 and the
// event list show cover thumbnails.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");

const { PUBLIC, newPage, fileUrl, onExampleSite } = require("./lib/harness");

const EVENT = "events/sports-meet-2026/index.html";

const example = onExampleSite();

// Every <img> matching `selector` has loaded (no broken file:// path).
// They load lazily, so each is scrolled into view first.
async function allLoaded(page, selector) {
  const count = await page.$$eval(selector, (imgs) => imgs.length);
  for (let n = 0; n < count; n++) {
    await page.$$eval(selector, (imgs, k) => imgs[k].scrollIntoView(), n);
    await page.waitForFunction(
      ([sel, k]) => document.querySelectorAll(sel)[k].complete,
      [selector, n],
    );
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.$$eval(selector, (imgs) => imgs.map((i) => [i.getAttribute("src"), i.naturalWidth]));
}

// At a phone's width photos sit two to a row, each as wide as its half of
// the content (less the gaps and padding), not a shrunken picture in it.
async function assertPhotosFillHalf(page, selector) {
  const [viewport, widths] = await page.$$eval(selector, (imgs) => [
    window.innerWidth,
    imgs.map((i) => Math.round(i.getBoundingClientRect().width)),
  ]);
  assert.ok(widths.length >= 2, `${selector}: ${widths.length} photos`);
  for (const w of widths) {
    assert.ok(w >= viewport * 0.38, `${selector}: a photo ${w}px wide on a ${viewport}px screen`);
  }
}

async function lightboxState(page) {
  return page.evaluate(() => {
    const box = document.querySelector(".lightbox");
    const img = box && box.querySelector(".lightbox-img");
    return {
      open: !!box && !box.hidden,
      src: img ? img.getAttribute("src") || "" : "",
      caption: box ? box.querySelector(".lightbox-caption").textContent : "",
      counter: box ? box.querySelector(".lightbox-counter").textContent : "",
      focus: document.activeElement ? document.activeElement.className : "",
      modal: box ? box.getAttribute("aria-modal") : null,
    };
  });
}

async function keyboardTour(page) {
  const links = await page.$$eval("a.gallery-link", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.length >= 3, `gallery has ${links.length} photos`);
  // Reach the first thumbnail with the keyboard, open it with Enter.
  await page.focus("a.gallery-link");
  await page.keyboard.press("Enter");
  let s = await lightboxState(page);
  assert.equal(s.open, true, "Enter opens the lightbox");
  assert.equal(s.modal, "true");
  assert.ok(s.src.endsWith(links[0].split("/").pop()), `${s.src} is the first photo`);
  assert.ok(!s.src.includes(".thumb."), "the lightbox shows the display copy, not the thumbnail");
  assert.equal(s.counter, `1 / ${links.length}`);
  assert.match(s.focus, /lightbox-close/, "focus moves into the lightbox");
  await page.waitForFunction(() => {
    const i = document.querySelector(".lightbox-img");
    return i.complete && i.naturalWidth > 0;
  });

  await page.keyboard.press("ArrowRight");
  s = await lightboxState(page);
  assert.equal(s.counter, `2 / ${links.length}`);
  assert.ok(s.src.endsWith(links[1].split("/").pop()));
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  s = await lightboxState(page);
  assert.equal(s.counter, `${links.length} / ${links.length}`, "Left from the first wraps to the last");

  // Tab stays inside the dialog.
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    const inside = await page.evaluate(() => !!document.activeElement.closest(".lightbox"));
    assert.ok(inside, "Tab keeps the focus in the lightbox");
  }

  await page.keyboard.press("Escape");
  s = await lightboxState(page);
  assert.equal(s.open, false, "Esc closes");
  const back = await page.evaluate(() => document.activeElement.classList.contains("gallery-link")
    && document.activeElement === document.querySelector("a.gallery-link"));
  assert.ok(back, "focus returns to the thumbnail that opened it");
}

test("gallery and lightbox by keyboard, from disk (file://) at phone width", async () => {
  const page = await newPage(example.browser);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(fileUrl(PUBLIC, EVENT));
  const thumbs = await allLoaded(page, ".gallery img");
  for (const [src, w] of thumbs) {
    assert.ok(w > 0, `${src} did not load over file://`);
    assert.ok(src.includes(".thumb.") || w <= 480, `${src} is a thumbnail`);
  }
  // Two thumbnails side by side on a phone, within the screen.
  const boxes = await page.$$eval(".gallery-grid li", (lis) => lis.map((li) => {
    const r = li.getBoundingClientRect();
    return [Math.round(r.left), Math.round(r.top), Math.round(r.right)];
  }));
  assert.equal(boxes[0][1], boxes[1][1], "first two thumbnails share a row");
  assert.ok(boxes.every((b) => b[2] <= 390), "no thumbnail overflows the screen");
  // …and each fills its half of the row (a 48% width left for browsers
  // without grid once halved every photo inside its grid cell).
  await assertPhotosFillHalf(page, ".gallery-grid img");
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 390, `page is ${scrollWidth}px wide`);

  await keyboardTour(page);

  // The open photo fits the phone's screen.
  await page.click("a.gallery-link");
  await page.waitForFunction(() => document.querySelector(".lightbox-img").naturalWidth > 0);
  const img = await page.$eval(".lightbox-img", (i) => {
    const r = i.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });
  assert.ok(img.left >= 0 && img.right <= 390 && img.bottom <= 844, JSON.stringify(img));
  // The close button closes too.
  await page.click(".lightbox-close");
  assert.equal((await lightboxState(page)).open, false);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("under a sub-path over HTTP, markdown photos carry sizes and every image request succeeds", async () => {
  const page = await newPage(example.browser);
  await page.goto(`${example.server.url}${EVENT}`);
  await keyboardTour(page);
  const prose = await page.$$eval(".prose img", (imgs) => imgs.map((i) => ({
    w: i.getAttribute("width"), h: i.getAttribute("height"), lazy: i.getAttribute("loading"),
  })));
  assert.ok(prose.length > 0);
  for (const p of prose) {
    assert.ok(+p.w > 0 && +p.h > 0, JSON.stringify(p));
    assert.equal(p.lazy, "lazy");
  }
  // Every photo, thumbnail, script and style the page asked for was there.
  const missing = await page.evaluate(() => performance.getEntriesByType("resource")
    .filter((e) => e.responseStatus >= 400 && /\.(jpe?g|png|webp|js|css)$/.test(e.name))
    .map((e) => e.name));
  assert.deepEqual(missing, []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("without JavaScript a thumbnail is a link to its photo", async () => {
  const context = await example.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(fileUrl(PUBLIC, EVENT));
  const href = await page.$eval("a.gallery-link", (a) => a.href);
  await page.click("a.gallery-link");
  await page.waitForURL(href);
  assert.match(page.url(), /\.jpg$/);
  await context.close();
});

test("the home page's 图片新闻 and the event list show cover thumbnails", async () => {
  const page = await newPage(example.browser);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(fileUrl(PUBLIC, "index.html"));
  const title = await page.textContent("#photo-news-title");
  assert.equal(title.trim(), "图片新闻");
  const news = await allLoaded(page, ".photo-news img");
  assert.ok(news.length >= 2, `${news.length} photo news`);
  for (const [src, w] of news) assert.ok(w > 0 && src.includes(".thumb."), src);
  await assertPhotosFillHalf(page, ".photo-news-grid img");

  await page.goto(fileUrl(PUBLIC, "events/index.html"));
  const thumbs = await allLoaded(page, ".page-item-thumb img");
  assert.ok(thumbs.length >= 4, `${thumbs.length} list thumbnails`);
  for (const [src, w] of thumbs) assert.ok(w > 0, src);
  assert.deepEqual(page.errors, []);
  await page.close();
});
