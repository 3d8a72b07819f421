// Driving the search page: run a query and read what a reader sees.
"use strict";

// Waits until the page has shown the results of its current query.
async function settled(page) {
  await page.waitForFunction(() => {
    const app = document.getElementById("search-app");
    const status = document.getElementById("search-status");
    return app && app.getAttribute("data-state") === "done" && status.textContent !== "" &&
      (document.querySelectorAll("#search-results li").length > 0 || !/\d/.test(status.textContent));
  }, null, { timeout: 10000 });
}

// The results on the page: [{href, url, title, snippet, marks}], where
// `url` is the href resolved against the page and made root-relative
// using `siteBase` (the URL of the site root).
async function results(page, siteBase) {
  const items = await page.$$eval("#search-results li", (lis) =>
    lis.map((li) => {
      const a = li.querySelector(".page-item-title a");
      return {
        href: a.getAttribute("href"),
        absolute: a.href,
        title: a.textContent,
        snippet: (li.querySelector(".search-snippet") || {}).textContent || "",
        marks: Array.from(li.querySelectorAll("mark")).map((m) => m.textContent),
      };
    }));
  return items.map((r) => ({
    ...r,
    url: decodeURI(r.absolute.startsWith(siteBase) ? r.absolute.slice(siteBase.length) : r.absolute),
  }));
}

async function search(page, searchPageUrl, query, siteBase) {
  await page.goto(`${searchPageUrl}?q=${encodeURIComponent(query)}`);
  await settled(page);
  return results(page, siteBase);
}

module.exports = { settled, results, search };
