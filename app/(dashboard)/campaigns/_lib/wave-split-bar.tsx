'use client';

const tones = ['bg-blue-600', 'bg-blue-400', 'bg-sky-500', 'bg-indigo-500', 'bg-cyan-600', 'bg-violet-500'];

/** How a campaign's vehicles split into waves: one segment per wave, its width its share, labelled "Wave N · size". */
export function WaveSplitBar({ sizes }: { sizes: number[] }) {
  const total = sizes.reduce((sum, n) => sum + n, 0);
  if (!total) return null;
  return (
    <div>
      <div className="flex h-3 w-full overflow-hidden rounded-full bg-slate-200" aria-hidden>
        {sizes.map((n, i) => (n ? <span key={i} className={`h-full border-r border-white last:border-r-0 ${tones[i % tones.length]}`} style={{ width: `${(100 * n) / total}%` }} /> : null))}
      </div>
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {sizes.map((n, i) => (
          <li key={i} className="inline-flex items-center gap-1.5">
            <span className={`inline-block h-2 w-2 rounded-full ${n ? tones[i % tones.length] : 'bg-slate-300'}`} />
            Wave {i + 1}: <span className="font-medium tabular-nums text-slate-800">{n.toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
