// The demo page's script (kept out of the HTML so the page needs no inline script).
(async function () {
  const out = document.getElementById('out');
  const area = document.getElementById('rows');
  try {
    const model = await cairnModel.load();
    const cols = model.signature.columns || [];
    area.value = JSON.stringify([Object.fromEntries(cols.map((c) => [c, 0]))], null, 2);
    out.textContent = 'loaded on the ' + model.backend + ' backend';
    document.getElementById('run').addEventListener('click', async () => {
      try {
        const rows = JSON.parse(area.value);
        const result = { predictions: await model.predict(rows) };
        if (model.signature.labels) result.labels = await model.classify(rows);
        out.textContent = JSON.stringify(result, null, 2);
      } catch (err) {
        out.textContent = String(err);
      }
    });
  } catch (err) {
    out.textContent = String(err);
  }
})();
