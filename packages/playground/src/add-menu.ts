import type { Preset } from './presets.js';

/** A drop-down of presets that adds the chosen one and returns to its prompt. */
export function addMenu(select: HTMLSelectElement, presets: readonly Preset[], add: (preset: Preset) => void): void {
  select.replaceChildren(
    new Option('+ add an optimizer…', ''),
    ...presets.map((p, i) => new Option(p.label, String(i))),
  );
  select.addEventListener('change', () => {
    const chosen = select.value;
    select.value = '';
    if (chosen !== '') add(presets[Number(chosen)]!);
  });
}
