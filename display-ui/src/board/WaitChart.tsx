import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { DEFAULT_TIME_ZONE, lang } from '../../../ui-kit/index.js';
import type { WaitChart as WaitChartData } from '../../../protocol/board.js';
import { t } from './messages.js';

const HEIGHT = 250;

function dataOf(chart: WaitChartData): uPlot.AlignedData {
  return [chart.t, chart.avgWaitMinutes, chart.maxWaitMinutes, chart.waiting];
}

/** Waits across the day (uPlot): mean and longest wait of the calls in each bucket, and people waiting. */
export function WaitChart({ chart }: { chart: WaitChartData }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const l = lang.value;
  const empty = chart.t.length === 0;

  useEffect(() => {
    const el = box.current;
    if (!el || empty) return undefined;
    const axis = { stroke: '#c9d4e5', grid: { stroke: 'rgba(255,255,255,0.08)' }, ticks: { stroke: 'rgba(255,255,255,0.15)' }, font: '14px sans-serif' };
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height: HEIGHT,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), DEFAULT_TIME_ZONE),
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: { x: { time: true }, min: { auto: true, range: (_u, _min, max) => [0, Math.max(5, Math.ceil(max * 1.15))] }, n: { auto: true, range: (_u, _min, max) => [0, Math.max(5, Math.ceil(max * 1.15))] } },
      series: [
        {},
        { label: t('chartAvg'), scale: 'min', stroke: '#f5c518', width: 3, points: { show: false } },
        { label: t('chartMax'), scale: 'min', stroke: '#ff6b6b', width: 2, dash: [8, 6], points: { show: false } },
        { label: t('chartWaiting'), scale: 'n', stroke: '#5fb3ff', width: 2, fill: 'rgba(95,179,255,0.15)', points: { show: false } },
      ],
      axes: [
        { ...axis, values: (_u, splits) => splits.map((s) => new Intl.DateTimeFormat('vi-VN', { timeZone: DEFAULT_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(s * 1000))) },
        { ...axis, scale: 'min', label: t('minutesShort'), labelFont: '14px sans-serif' },
        { ...axis, scale: 'n', side: 1, label: t('peopleShort'), labelFont: '14px sans-serif', grid: { show: false } },
      ],
    };
    const u = new uPlot(opts, dataOf(chart), el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(300, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // rebuilt when the language changes (labels) or the chart appears
  }, [l, empty]);

  useEffect(() => {
    plot.current?.setData(dataOf(chart));
  }, [chart]);

  return (
    <div class="board-chart" data-testid="wait-chart">
      {empty ? <div class="board-empty">{t('chartEmpty')}</div> : <div ref={box} class="board-chart__plot" />}
    </div>
  );
}
