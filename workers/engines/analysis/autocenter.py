"""Autocenter: per scene, where a crop should centre over time, from the face tracks (smoothed); the frame's
centre where no face is seen. The points are what clip autoframing follows."""
from __future__ import annotations

import numpy as np

WINDOW = 5  # samples in the moving average: steadies the crop without lagging a cut


def points(scenes: list[dict], faces: list[dict], step_ms: int) -> list[dict]:
    centres = sorted(c for f in faces for c in f["centres"])
    out = []
    for scene in scenes:
        inside = [c for c in centres if scene["start_ms"] <= c[0] < scene["end_ms"]]
        if not inside:
            out.append({"scene": scene["index"], "ms": scene["start_ms"], "x": 0.5, "y": 0.5})
            continue
        by_time: dict[int, list] = {}
        for ms, x, y in inside:
            by_time.setdefault(ms, []).append((x, y))
        times = sorted(by_time)
        xs = np.array([np.mean([p[0] for p in by_time[t]]) for t in times])
        ys = np.array([np.mean([p[1] for p in by_time[t]]) for t in times])
        kernel = np.ones(min(WINDOW, len(times))) / min(WINDOW, len(times))
        xs = np.convolve(np.pad(xs, (len(kernel) // 2, (len(kernel) - 1) // 2), mode="edge"), kernel, mode="valid")
        ys = np.convolve(np.pad(ys, (len(kernel) // 2, (len(kernel) - 1) // 2), mode="edge"), kernel, mode="valid")
        out += [{"scene": scene["index"], "ms": t, "x": round(float(x), 4), "y": round(float(y), 4)}
                for t, x, y in zip(times, xs, ys)]
    return out
