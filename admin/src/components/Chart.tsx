import { Flex, Typography } from '@strapi/design-system';
import { useTheme } from 'styled-components';

export interface Series {
  key: string;
  label: string;
  /** A design-system colour token, e.g. `success500`. */
  color: string;
  /** One value per day, aligned with `days`. */
  values: number[];
}

const W = 720;
const H = 180;
const LEFT = 32;
const BOTTOM = 20;
const TOP = 8;

/** The smallest of 1, 2, 5 × 10^n at or above `n`, so the top of the axis is a round number. */
const niceMax = (n: number) => {
  if (n <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((m) => m >= n)!;
};

/**
 * Grouped bars per day, drawn by hand in SVG (no chart library in the admin bundle). Each bar carries a
 * <title> with its day, series and value; the legend gives each series' total.
 */
const BarChart = ({ days, series, label }: { days: string[]; series: Series[]; label: string }) => {
  const theme = useTheme();
  const colour = (token: string) => (theme.colors as unknown as Record<string, string>)[token] ?? token;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const plotW = W - LEFT;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(1, days.length);
  const bar = Math.max(1, (slot * 0.8) / Math.max(1, series.length));
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const ticks = [0, max / 2, max].filter((v, i, all) => Number.isInteger(v) && all.indexOf(v) === i);
  // First, middle and last day under the axis: enough to read the period without crowding.
  const labelled = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])];

  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`${label}: ${series.map((s) => `${s.label} ${s.values.reduce((a, b) => a + b, 0)}`).join(', ')}`}
        style={{ display: 'block' }}
      >
        {ticks.map((v) => (
          <g key={v}>
            <line x1={LEFT} x2={W} y1={y(v)} y2={y(v)} stroke={colour('neutral200')} strokeWidth={1} />
            <text x={LEFT - 6} y={y(v) + 4} textAnchor="end" fontSize={11} fill={colour('neutral600')}>
              {v}
            </text>
          </g>
        ))}
        {days.map((day, d) =>
          series.map((s, i) => {
            const v = s.values[d] ?? 0;
            const x = LEFT + d * slot + slot * 0.1 + i * bar;
            return v > 0 ? (
              <rect key={`${day}-${s.key}`} x={x} y={y(v)} width={bar} height={y(0) - y(v)} fill={colour(s.color)}>
                <title>{`${day} · ${s.label}: ${v}`}</title>
              </rect>
            ) : null;
          })
        )}
        {labelled.map((d) => (
          <text
            key={d}
            x={LEFT + d * slot + slot / 2}
            y={H - 4}
            textAnchor={
              d === 0 && days.length > 1 ? 'start' : d === days.length - 1 && days.length > 1 ? 'end' : 'middle'
            }
            fontSize={11}
            fill={colour('neutral600')}
          >
            {days[d]}
          </text>
        ))}
      </svg>
      <Flex gap={4} wrap="wrap">
        {series.map((s) => (
          <Flex key={s.key} gap={2} alignItems="center">
            <svg width={12} height={12} aria-hidden>
              <rect width={12} height={12} rx={2} fill={colour(s.color)} />
            </svg>
            <Typography variant="pi">
              {s.label}: {s.values.reduce((a, b) => a + b, 0)}
            </Typography>
          </Flex>
        ))}
      </Flex>
    </Flex>
  );
};

export { BarChart };
