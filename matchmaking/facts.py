"""What an explanation needs about a stored match, computed for many pairs at once.

Sets of codes are compared as bit masks (the code lists are short: 34 processes, 18 materials, 13
certifications fit in 64 bits) and every per-pair value is turned into a plain Python list before
the loop, so building the facts of 500,000 matches stays cheap.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import orjson

from .engine import NO_END_DATE, Engine, RequirementArrays, SupplierArrays, distance_class


def bits(matrix: np.ndarray) -> np.ndarray:
    """Rows of a 0/1 matrix (at most 64 columns) as uint64 bit masks."""
    weights = 2.0 ** np.arange(matrix.shape[1], dtype=np.float64)
    return (np.asarray(matrix, dtype=np.float64) @ weights).astype(np.uint64)


class Decoder:
    """Bit mask -> list of codes, memoised (few distinct masks occur)."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        self.cache: dict[int, list[str]] = {}

    def __call__(self, mask: int) -> list[str]:
        found = self.cache.get(mask)
        if found is None:
            found = [code for i, code in enumerate(self.codes) if mask >> i & 1]
            self.cache[mask] = found
        return found


_decoders: dict[int, tuple] = {}


def _decoders_for(engine: Engine) -> tuple[Decoder, Decoder, Decoder]:
    vocab = engine.vocab
    key = id(vocab)
    if key not in _decoders:
        _decoders.clear()
        _decoders[key] = (
            Decoder(vocab.processes),
            Decoder(vocab.materials),
            Decoder(vocab.certifications),
        )
    return _decoders[key]


def _valid_until(engine: Engine, sups: SupplierArrays, s_idx: np.ndarray) -> np.ndarray:
    """(pairs, certifications) end-date ordinals of the certifications valid today, else 0."""
    n_certs = len(engine.vocab.certifications)
    unique, local = np.unique(s_idx, return_inverse=True)
    position = np.full(len(sups.ids), -1, dtype=np.int64)
    position[unique] = np.arange(len(unique))
    rows = position[sups.cert_rows]
    keep = (rows >= 0) & (sups.cert_until >= engine.today_ordinal)
    per_supplier = np.zeros((len(unique), n_certs), dtype=np.int64)
    per_supplier[rows[keep], sups.cert_cols[keep]] = sups.cert_until[keep]
    return per_supplier[local]


def _local_keys(parts: dict) -> np.ndarray:
    """(pairs, 3) int64: the supplier's TKDN percentage in hundredths (-1: none), the minimum
    asked (-1: none) and whether it is required; the facts are built from these alone."""
    pct = np.asarray(parts["lc_pct"], dtype=np.float64)
    minimum = np.asarray(parts["lc_min"], dtype=np.float64)
    return np.stack(
        [
            np.where(np.isnan(pct), -1, np.rint(np.nan_to_num(pct) * 100)).astype(np.int64),
            np.where(np.isnan(minimum), -1, np.nan_to_num(minimum)).astype(np.int64),
            np.asarray(parts["lc_required"]).astype(np.int64),
        ],
        axis=1,
    )


def _local_fact(pct_centi: int, minimum: int, required: int) -> dict:
    return {
        "pct": None if pct_centi < 0 else pct_centi / 100,
        "min": None if minimum < 0 else minimum,
        "required": bool(required),
    }


def _decoded(decoder: Decoder, masks: np.ndarray) -> list[list[str]]:
    """The code lists of many masks: each distinct mask decoded once (few occur), then one list
    lookup per pair instead of a call."""
    unique, inverse = np.unique(masks, return_inverse=True)
    lists = [decoder(mask) for mask in unique.tolist()]
    return [lists[j] for j in inverse.reshape(-1).tolist()]


def pair_facts(
    engine: Engine,
    reqs: RequirementArrays,
    r_idx: np.ndarray,
    sups: SupplierArrays,
    s_idx: np.ndarray,
    result: dict,
) -> list[dict]:
    vocab = engine.vocab
    processes, materials, certifications = _decoders_for(engine)
    parts = result["parts"]
    until = _valid_until(engine, sups, s_idx)
    r_prov, s_prov = reqs.province[r_idx], sups.province[s_idx]
    km = vocab.province_km[r_prov, s_prov]
    same_island = vocab.province_same_island[r_prov, s_prov].tolist()
    same_province = ((r_prov == s_prov) & np.isfinite(km)).tolist()
    capacity = sups.capacity[s_idx]
    need = reqs.monthly_need[r_idx]
    ratio = np.round(capacity / np.maximum(need, 1e-9), 3)
    lead = sups.lead_time[s_idx]
    slack = parts["avail"] - lead

    r_proc_m = bits(reqs.processes[r_idx])
    r_mat_m = bits(reqs.materials[r_idx])
    covered_proc = _decoded(processes, r_proc_m & bits(sups.processes[s_idx]))
    required_proc = _decoded(processes, r_proc_m)
    covered_mat = _decoded(materials, r_mat_m & bits(sups.materials[s_idx]))
    required_mat = _decoded(materials, r_mat_m)
    r_req = bits(reqs.required_certs[r_idx]).tolist()
    r_pref = bits(reqs.preferred_certs[r_idx]).tolist()
    s_valid = bits(until > 0).tolist()
    until_list = until.tolist()
    levels = np.asarray(parts["level"]).tolist()
    components = [vocab.components[c] for c in reqs.component[r_idx].tolist()]
    pref_hits = np.asarray(parts["pref_hits"]).astype(int).tolist()
    pref_n = np.asarray(parts["pref_n"]).astype(int).tolist()
    cap_known = (~np.isnan(capacity)).tolist()
    capacity_l = np.nan_to_num(capacity).astype(int).tolist()
    ratio_l = np.nan_to_num(ratio).tolist()
    need_l = np.round(need.astype(np.float64), 1).tolist()
    lead_known = (~np.isnan(lead)).tolist()
    lead_l = np.nan_to_num(lead).astype(int).tolist()
    slack_l = np.nan_to_num(slack).astype(int).tolist()
    km_known = np.isfinite(km).tolist()
    km_l = np.rint(np.nan_to_num(km, posinf=0.0)).astype(int).tolist()
    text = np.round(np.asarray(result["components"]["text"], dtype=np.float64), 3).tolist()
    verified = (sups.verification[s_idx] == 1).tolist()
    local = [_local_fact(*key) for key in _local_keys(parts).tolist()]
    dates: dict[int, str | None] = {}
    # Holding IATF 16949 counts as holding ISO 9001: the explanation names the certificate the
    # firm holds ("IATF 16949, which includes ISO 9001"), so remember which one it came through.
    implied_by: dict[str, list[str]] = {}
    for holder, implied in vocab.cert_implies.items():
        if holder in vocab.cert_index and implied in vocab.cert_index:
            implied_by.setdefault(implied, []).append(holder)

    out = []
    for i in range(len(r_req)):
        held = []
        wanted = (r_req[i] | r_pref[i]) & s_valid[i]
        if wanted:
            for code in certifications(wanted):
                column = vocab.cert_index[code]
                end = until_list[i][column]
                if end not in dates:
                    dates[end] = None if end >= NO_END_DATE else date.fromordinal(end).isoformat()
                entry = {
                    "code": code,
                    "valid_until": dates[end],
                    "required": bool(r_req[i] >> column & 1),
                }
                for holder in implied_by.get(code, ()):
                    if until_list[i][vocab.cert_index[holder]] == end:
                        entry["via"] = holder
                        break
                held.append(entry)
        lacking = (r_req[i] | r_pref[i]) & ~s_valid[i]
        missing = (
            [
                {"code": code, "required": bool(r_req[i] >> vocab.cert_index[code] & 1)}
                for code in certifications(lacking)
            ]
            if lacking
            else []
        )
        out.append(
            {
                "processes": {"covered": covered_proc[i], "required": required_proc[i]},
                "component": {"level": levels[i], "requirement": components[i]},
                "materials": {"covered": covered_mat[i], "required": required_mat[i]},
                "certifications": held,
                "missing_certifications": missing,
                "preferred": {"held": pref_hits[i], "wanted": pref_n[i]},
                "capacity": {
                    "ratio": ratio_l[i] if cap_known[i] else None,
                    "per_month": capacity_l[i] if cap_known[i] else None,
                    "monthly_need": need_l[i],
                },
                "lead_time": {
                    "days": lead_l[i] if lead_known[i] else None,
                    "slack_days": slack_l[i] if lead_known[i] else None,
                },
                "distance": {
                    "class": distance_class(same_province[i], same_island[i], km[i]),
                    "km": km_l[i] if km_known[i] else None,
                },
                "text": text[i],
                "verified": verified[i],
                "local_content": local[i],
            }
        )
    return out


def json_texts(values) -> list[str]:
    """Each value of a flat list of numbers / booleans / None as orjson writes it (one call for
    the whole column; no number's JSON contains a comma)."""
    if not len(values):
        return []
    return orjson.dumps(values).decode()[1:-1].split(",")


def _fragments(keys: np.ndarray, build) -> list[str]:
    """JSON text per pair of a value that depends only on ``keys`` (one row per pair): built
    once per distinct key."""
    keys = np.asarray(keys)
    if keys.ndim == 1:
        keys = keys.reshape(-1, 1)
    if not len(keys):
        return []
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    texts = [orjson.dumps(build(*key)).decode() for key in unique.tolist()]
    return [texts[j] for j in inverse.reshape(-1).tolist()]


def pair_facts_json(
    engine: Engine,
    reqs: RequirementArrays,
    r_idx: np.ndarray,
    sups: SupplierArrays,
    s_idx: np.ndarray,
    result: dict,
) -> list[str]:
    """``pair_facts`` as JSON text, for the bulk writes: the parts shared by many pairs (code
    lists, component, distance, preferred counts) are written once per distinct value and the
    numbers once per column, so the per-pair work is one string join. Parses to exactly
    ``pair_facts`` (tested)."""
    vocab = engine.vocab
    processes, materials, certifications = _decoders_for(engine)
    parts = result["parts"]
    n = len(r_idx)
    if not n:
        return []
    until = _valid_until(engine, sups, s_idx)
    r_prov, s_prov = reqs.province[r_idx], sups.province[s_idx]
    capacity = sups.capacity[s_idx]
    need = reqs.monthly_need[r_idx]
    ratio = np.round(capacity / np.maximum(need, 1e-9), 3)
    lead = sups.lead_time[s_idx]
    slack = parts["avail"] - lead

    r_proc_m = bits(reqs.processes[r_idx])
    r_mat_m = bits(reqs.materials[r_idx])
    proc = _fragments(
        np.stack([r_proc_m & bits(sups.processes[s_idx]), r_proc_m], axis=1),
        lambda c, r: {"covered": processes(c), "required": processes(r)},
    )
    mat = _fragments(
        np.stack([r_mat_m & bits(sups.materials[s_idx]), r_mat_m], axis=1),
        lambda c, r: {"covered": materials(c), "required": materials(r)},
    )
    comp = _fragments(
        np.stack(
            [np.asarray(parts["level"]).astype(np.int64), reqs.component[r_idx].astype(np.int64)],
            axis=1,
        ),
        lambda level, c: {"level": level, "requirement": vocab.components[c]},
    )

    def distance(rp: int, sp: int) -> dict:
        km = vocab.province_km[rp, sp]
        finite = bool(np.isfinite(km))
        return {
            "class": distance_class(
                bool(rp == sp and finite), bool(vocab.province_same_island[rp, sp]), km
            ),
            "km": int(np.rint(km)) if finite else None,
        }

    dist = _fragments(np.stack([r_prov, s_prov], axis=1).astype(np.int64), distance)
    pref = _fragments(
        np.stack(
            [
                np.asarray(parts["pref_hits"]).astype(np.int64),
                np.asarray(parts["pref_n"]).astype(np.int64),
            ],
            axis=1,
        ),
        lambda hits, wanted: {"held": hits, "wanted": wanted},
    )
    local = _fragments(_local_keys(parts), _local_fact)
    cap_known = ~np.isnan(capacity)
    ratio_t = json_texts(np.nan_to_num(ratio).tolist())
    per_month_t = json_texts(np.nan_to_num(capacity).astype(int).tolist())
    need_t = json_texts(np.round(need.astype(np.float64), 1).tolist())
    lead_known = ~np.isnan(lead)
    lead_t = json_texts(np.nan_to_num(lead).astype(int).tolist())
    slack_t = json_texts(np.nan_to_num(slack).astype(int).tolist())
    text = np.asarray(result["components"]["text"], dtype=np.float64)
    text_t = json_texts(np.round(text, 3).tolist())
    verified = (sups.verification[s_idx] == 1).tolist()
    cap_known_l, lead_known_l = cap_known.tolist(), lead_known.tolist()

    r_req = bits(reqs.required_certs[r_idx])
    r_pref = bits(reqs.preferred_certs[r_idx])
    s_valid = bits(until > 0)
    wanted_all = r_req | r_pref
    certs = ["[]"] * n
    missing = ["[]"] * n
    dates: dict[int, str | None] = {}
    implied_by: dict[str, list[str]] = {}
    for holder, implied in vocab.cert_implies.items():
        if holder in vocab.cert_index and implied in vocab.cert_index:
            implied_by.setdefault(implied, []).append(holder)
    r_req_l = r_req.tolist()
    held_masks = (wanted_all & s_valid).tolist()
    lacking_masks = (wanted_all & ~s_valid).tolist()
    for i in np.flatnonzero(wanted_all).tolist():
        wanted, lacking = held_masks[i], lacking_masks[i]
        if wanted:
            row_until = until[i]
            held = []
            for code in certifications(wanted):
                column = vocab.cert_index[code]
                end = int(row_until[column])
                if end not in dates:
                    dates[end] = None if end >= NO_END_DATE else date.fromordinal(end).isoformat()
                entry = {
                    "code": code,
                    "valid_until": dates[end],
                    "required": bool(r_req_l[i] >> column & 1),
                }
                for holder in implied_by.get(code, ()):
                    if int(row_until[vocab.cert_index[holder]]) == end:
                        entry["via"] = holder
                        break
                held.append(entry)
            certs[i] = orjson.dumps(held).decode()
        if lacking:
            missing[i] = orjson.dumps(
                [
                    {"code": code, "required": bool(r_req_l[i] >> vocab.cert_index[code] & 1)}
                    for code in certifications(lacking)
                ]
            ).decode()
    return [
        f'{{"processes":{proc[i]},"component":{comp[i]},"materials":{mat[i]},'
        f'"certifications":{certs[i]},"missing_certifications":{missing[i]},'
        f'"preferred":{pref[i]},"capacity":{{"ratio":{ratio_t[i] if cap_known_l[i] else "null"},'
        f'"per_month":{per_month_t[i] if cap_known_l[i] else "null"},'
        f'"monthly_need":{need_t[i]}}},"lead_time":{{"days":'
        f'{lead_t[i] if lead_known_l[i] else "null"},"slack_days":'
        f'{slack_t[i] if lead_known_l[i] else "null"}}},"distance":{dist[i]},'
        f'"text":{text_t[i]},"verified":{"true" if verified[i] else "false"},'
        f'"local_content":{local[i]}}}'
        for i in range(n)
    ]
