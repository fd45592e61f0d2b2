"""Vectorised scoring of requirements against suppliers (numpy / scipy, no ORM).

Everything is computed on whole blocks: a block of b requirements against all n suppliers gives
(b, n) arrays; overlaps of the small code lists are matrix products of incidence matrices.

Hard rules (a pair that breaks one is excluded and never becomes a match):
* every must-have certification is held and valid on ``today`` (no end date, or an end date on or
  after today); holding a certification also counts for the ones it implies (IATF 16949 counts as
  ISO 9001);
* the supplier overlaps the requirement in processes (at least one required process) OR in the
  component family. The *component family* of a requirement is the subsystem (level 2) that
  contains its category; for a system-level (level 1) requirement, the system itself. A supplier
  overlaps it when one of its categories is that node or lies beneath it, i.e. when the taxonomy
  closeness below is "same part family" or "same subsystem". A requirement without processes
  therefore needs the family overlap;
* the ministry has not rejected the supplier's verification (a rejected firm is offered to no
  buyer until a new review verifies it; a firm not yet verified is offered, labelled so);
* when the buyer marks its minimum local content as required: the supplier's best TKDN
  percentage (among its TKDN certificates valid on ``today``) reaches that minimum; a supplier
  without a valid TKDN certificate with a percentage does not.

Soft components, each 0..1, weighted by ``WEIGHTS`` (sum 100) into the 0-100 score:
* process: share of the required processes the supplier does (1 when none are required);
* component: taxonomy closeness between the requirement's category and the closest of the
  supplier's categories: 1.0 the category itself or beneath it ("same part family"), 0.6 same
  subsystem, 0.3 same system, 0 otherwise;
* material: share of the requirement's materials the supplier works with (1 when none);
* certification: share of the nice-to-have certifications held and valid (1 when none);
* capacity: monthly capacity / (annual volume / 12), capped at 1 (partial capacity scores
  partially); 0.25 when the supplier gave no capacity;
* lead_time: 1 when the supplier's lead time fits before the needed-by date, falling linearly to
  0 at 60 days late; 0.5 when the supplier gave no lead time;
* distance: between province capitals: 1.0 same province; same island group 0.7 falling to 0.5
  at 1,500 km; elsewhere 0.4 falling to 0 at 4,000 km; 0 when the supplier has no province;
* text: cosine similarity of the descriptions (see ``text``);
* verified: 1 verified, 0.5 not yet verified, 0 rejected;
* local_content: the supplier's best valid TKDN percentage / the requirement's minimum, capped
  at 1; 0 without a valid TKDN certificate; 1 when the requirement asks no minimum (or 0%).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from .arrays import (
    VERIFICATION_CODES,
    RequirementArrays,
    SupplierArrays,
)
from .vocabulary import Vocabulary

ENGINE_VERSION = "2026.12-2"

# Local content is worth as much as the nice-to-have certifications: buyers care (TKDN rules),
# but a buyer who needs it marks it required, which makes it a hard rule instead.
WEIGHTS: dict[str, float] = {
    "process": 23.0,
    "component": 18.0,
    "material": 10.0,
    "certification": 5.0,
    "capacity": 11.0,
    "lead_time": 8.0,
    "distance": 8.0,
    "text": 7.0,
    "verified": 5.0,
    "local_content": 5.0,
}
COMPONENTS = tuple(WEIGHTS)

# Taxonomy closeness levels: 3 same part family (or beneath), 2 same subsystem, 1 same system.
CLOSENESS = np.array([0.0, 0.3, 0.6, 1.0], dtype=np.float32)
FAMILY_LEVEL = 2
UNKNOWN_CAPACITY = 0.25
UNKNOWN_LEAD_TIME = 0.5
LATE_DAYS_TO_ZERO = 60.0
VERIFICATION_SCORE = {"verified": 1.0, "unverified": 0.5, "rejected": 0.0}
REJECTED = VERIFICATION_CODES.index("rejected")  # a hard rule: never a match
# A near miss (readiness view) must be worth having: its score, on the current profile, at least.
NEAR_MISS_MIN_SCORE = 40.0


def distance_score(same_province: bool, same_island: bool, km: float) -> float:
    if not math.isfinite(km):
        return 0.0
    if same_province:
        return 1.0
    if same_island:
        return 0.7 - 0.2 * min(km, 1500.0) / 1500.0
    return 0.4 * max(0.0, 1.0 - km / 4000.0)


def distance_class(same_province: bool, same_island: bool, km: float) -> str:
    if not math.isfinite(km):
        return "unknown"
    if same_province:
        return "same_province"
    return "same_island" if same_island else "elsewhere"


def _distance_table(vocab: Vocabulary) -> np.ndarray:
    n = vocab.unknown_province + 1
    table = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        for j in range(n):
            table[i, j] = distance_score(
                i == j and i != vocab.unknown_province,
                bool(vocab.province_same_island[i, j]),
                float(vocab.province_km[i, j]),
            )
    return table


# --- scoring --------------------------------------------------------------------------------


# Up to this many requirement rows, score_block computes the score and the hard rules in one pass
# over the supplier features.
FEW_ROWS = 8


class Engine:
    """Scores requirement rows against supplier rows for one day."""

    def __init__(self, vocab: Vocabulary, today: date) -> None:
        self.vocab = vocab
        self.today = today
        self.today_ordinal = today.toordinal()
        # Per vocabulary, not per engine: an engine is made for every task.
        if getattr(vocab, "distance_table", None) is None:
            vocab.distance_table = _distance_table(vocab)
        self.distance_table = vocab.distance_table
        self.verification_table = np.array(
            [VERIFICATION_SCORE[c] for c in VERIFICATION_CODES], dtype=np.float32
        )

    # The single formula shared by the block and the pair paths (numpy broadcasting).
    def _combine(self, p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, dict]:
        with np.errstate(divide="ignore", invalid="ignore"):
            comps = {
                "process": np.where(p["proc_n"] > 0, p["proc_hits"] / p["proc_n"], 1.0),
                "component": CLOSENESS[p["level"]],
                "material": np.where(p["mat_n"] > 0, p["mat_hits"] / p["mat_n"], 1.0),
                "certification": np.where(p["pref_n"] > 0, p["pref_hits"] / p["pref_n"], 1.0),
                "capacity": np.where(
                    np.isnan(p["capacity"]),
                    UNKNOWN_CAPACITY,
                    np.where(p["need"] > 0, np.minimum(1.0, p["capacity"] / p["need"]), 1.0),
                ),
                "lead_time": np.where(
                    np.isnan(p["lead"]),
                    UNKNOWN_LEAD_TIME,
                    np.clip(
                        1.0 + np.minimum(p["avail"] - p["lead"], 0.0) / LATE_DAYS_TO_ZERO, 0, 1
                    ),
                ),
                "distance": p["distance"],
                "text": np.clip(p["text"], 0.0, 1.0),
                "verified": p["verified"],
                "local_content": np.where(
                    np.isnan(p["lc_min"]) | (p["lc_min"] <= 0),
                    1.0,
                    np.where(
                        np.isnan(p["lc_pct"]), 0.0, np.minimum(1.0, p["lc_pct"] / p["lc_min"])
                    ),
                ),
            }
        score = np.zeros(np.broadcast_shapes(*(np.shape(v) for v in comps.values())), np.float32)
        for name, value in comps.items():
            score += np.float32(WEIGHTS[name]) * np.asarray(value, dtype=np.float32)
        certs_ok = p["req_hits"] >= p["req_n"]
        overlap = (p["proc_hits"] > 0) | (p["level"] >= FAMILY_LEVEL)
        # NaN compares false: no percentage never reaches a minimum.
        local_short = p["lc_required"] & ~np.isnan(p["lc_min"]) & ~(p["lc_pct"] >= p["lc_min"])
        excluded = ~(certs_ok & overlap) | p["rejected"] | local_short
        return score, excluded, comps

    # --- the block path: a few matrix products and ~10 passes over (b, n) float32 arrays -------
    #
    # Every component except capacity, lead time and text is linear in per-supplier features once
    # the requirement is fixed, so they are summed by ONE product of a requirement weight matrix
    # with a supplier feature matrix F (columns below). Taxonomy closeness is linear too, because
    # the supplier's category set is closed under ancestors: with e (the category itself or
    # beneath), u (its subsystem) and y (its system) we have e <= u <= y, so
    # max(1.0 e, 0.6 u, 0.3 y) = 0.4 e + 0.3 u + 0.3 y (and 0.7 e + 0.3 y one level up).

    def _layout(self) -> dict[str, int]:
        v = self.vocab
        # The hard rules read only the first three groups: a contiguous prefix of F.
        sizes = [
            ("proc", len(v.processes)),
            ("cert", len(v.certifications)),
            ("comp", len(v.components)),
            ("mat", len(v.materials)),
            ("prov", v.unknown_province + 1),
            ("verified", 1),
            ("cap_unknown", 1),
            ("lead_unknown", 1),
            ("one", 1),
        ]
        offsets, at = {}, 0
        for name, size in sizes:
            offsets[name] = at
            at += size
        offsets["width"] = at
        offsets["rules_width"] = offsets["mat"]
        return offsets

    def supplier_features(self, sups: SupplierArrays) -> dict[str, np.ndarray]:
        """F and the non-linear inputs of these suppliers for this day (cached on ``sups``)."""
        cache = sups.__dict__.setdefault("_features", {})
        key = (id(self.vocab), self.today_ordinal)
        if key in cache:
            return cache[key]
        cache.clear()
        o, n = self._layout(), len(sups)
        features = np.zeros((n, o["width"]), dtype=np.float32)
        p, m, c = (
            len(self.vocab.processes),
            len(self.vocab.materials),
            len(self.vocab.certifications),
        )
        features[:, o["proc"] : o["proc"] + p] = sups.processes
        features[:, o["mat"] : o["mat"] + m] = sups.materials
        features[:, o["cert"] : o["cert"] + c] = sups.valid_certs(self.today_ordinal, c)
        features[:, o["comp"] : o["comp"] + sups.components.shape[1]] = sups.components
        features[np.arange(n), o["prov"] + sups.province] = 1.0
        features[:, o["verified"]] = self.verification_table[sups.verification]
        cap_unknown = np.isnan(sups.capacity)
        lead_unknown = np.isnan(sups.lead_time)
        features[:, o["cap_unknown"]] = cap_unknown
        features[:, o["lead_unknown"]] = lead_unknown
        features[:, o["one"]] = 1.0
        local = sups.local_content(self.today_ordinal)
        cache[key] = {
            "F": features,
            "capacity": np.where(cap_unknown, 0.0, sups.capacity).astype(np.float32),
            # Unknown lead time: the term saturates at its weight, and F's indicator column
            # takes half of it back (0.5 for "not given").
            "lead": np.where(lead_unknown, -1e9, sups.lead_time).astype(np.float32),
            "text": sups.text,
            "local": np.nan_to_num(local, nan=0.0).astype(np.float32),
            # For the hard rule: no certificate is below any minimum, 0% included.
            "local_gate": np.nan_to_num(local, nan=-1.0),
        }
        return cache[key]

    def requirement_weights(
        self, reqs: RequirementArrays, rows: np.ndarray
    ) -> dict[str, np.ndarray]:
        o, v, w = self._layout(), self.vocab, WEIGHTS
        b = len(rows)
        weights = np.zeros((b, o["width"]), dtype=np.float32)
        const = np.zeros(b, dtype=np.float64)

        def shares(matrix: np.ndarray, offset: int, weight: float) -> None:
            count = matrix.sum(axis=1)
            has = count > 0
            weights[has, offset : offset + matrix.shape[1]] = (
                weight * matrix[has] / count[has, np.newaxis]
            )
            const[~has] += weight

        r_proc = reqs.processes[rows]
        shares(r_proc, o["proc"], w["process"])
        shares(reqs.materials[rows], o["mat"], w["material"])
        shares(reqs.preferred_certs[rows], o["cert"], w["certification"])

        node = reqs.component[rows]
        level = v.node_level[node]
        system, subsystem = v.node_system[node], v.node_subsystem[node]
        at = np.arange(b)
        comp = o["comp"]
        l3, l2, l1 = level == 3, level == 2, level == 1
        weights[at[l3], comp + node[l3]] += 0.4 * w["component"]
        weights[at[l3], comp + subsystem[l3]] += 0.3 * w["component"]
        weights[at[l3], comp + system[l3]] += 0.3 * w["component"]
        weights[at[l2], comp + node[l2]] += 0.7 * w["component"]
        weights[at[l2], comp + system[l2]] += 0.3 * w["component"]
        weights[at[l1], comp + node[l1]] += w["component"]

        width = v.unknown_province + 1
        weights[:, o["prov"] : o["prov"] + width] = (
            w["distance"] * self.distance_table[reqs.province[rows]]
        )
        weights[:, o["verified"]] = w["verified"]
        need = reqs.monthly_need[rows].astype(np.float64)
        no_need = need <= 0
        # Capacity: the product term below gives min(1, capacity/need) for known capacities
        # (0 for unknown ones); unknown adds 0.25 here. With no need at all, known capacity is 1.
        weights[:, o["cap_unknown"]] = np.where(no_need, -0.75, 0.25) * w["capacity"]
        const[no_need] += w["capacity"]
        weights[:, o["lead_unknown"]] = -0.5 * w["lead_time"]
        # Local content, like capacity: min(w, w x pct / minimum) below; no minimum gives w.
        minimum = reqs.min_local_content[rows]
        asks = ~np.isnan(minimum) & (minimum > 0)
        const[~asks] += w["local_content"]
        weights[:, o["one"]] = const

        # Hard rules as one more product: 1000 x (must-have certificates held) + (processes
        # shared) + (component family shared); the pair passes when it reaches 1000 x needed + 1.
        rules = np.zeros((b, o["rules_width"]), dtype=np.float32)
        r_req = reqs.required_certs[rows]
        rules[:, o["cert"] : o["cert"] + r_req.shape[1]] = 1000.0 * r_req
        rules[:, o["proc"] : o["proc"] + r_proc.shape[1]] = r_proc
        family = np.where(level == 3, subsystem, node)
        rules[at, comp + family] = 1.0
        inv_need = np.where(no_need, 0.0, 1.0 / np.where(no_need, 1.0, need))
        avail = (reqs.needed_by[rows] - self.today_ordinal).astype(np.float64)
        return {
            "W": weights,
            "rules": rules,
            "required": r_req.sum(axis=1).astype(np.float32),
            "proc_n": r_proc.sum(axis=1),
            "cap_scale": (w["capacity"] * inv_need).astype(np.float32),
            "lead_base": (w["lead_time"] * (LATE_DAYS_TO_ZERO + avail) / LATE_DAYS_TO_ZERO).astype(
                np.float32
            ),
            "text": (w["text"] * reqs.text[rows]).astype(np.float32),
            "local_scale": np.where(
                asks, w["local_content"] / np.where(asks, minimum, 1.0), 0.0
            ).astype(np.float32),
            # The minimum where it is a hard rule, else -inf (nothing is below it).
            "local_rule": np.where(
                reqs.local_content_required[rows] & ~np.isnan(minimum), minimum, -np.inf
            ),
        }

    def score_block(
        self,
        reqs: RequirementArrays,
        rows: np.ndarray,
        sups: SupplierArrays,
        *,
        with_parts: bool = False,
    ) -> dict[str, np.ndarray]:
        """Scores requirement ``rows`` against every supplier: (b, n) arrays ``score`` (float32,
        0-100, computed for excluded pairs too) and ``excluded`` (bool). With ``with_parts``,
        also the near-miss masks: ``cert_near`` (exactly one must-have certificate missing, the
        overlap rule passed) and ``proc_near`` (certificates fine, no overlap, the requirement
        names processes)."""
        rows = np.asarray(rows, dtype=np.int64)
        f = self.supplier_features(sups)
        if len(rows) == len(reqs) and np.array_equal(rows, np.arange(len(reqs))):
            # Every requirement (one supplier against all): the weights are cached per day.
            cache = reqs.__dict__.setdefault("_weights", {})
            key = (id(self.vocab), self.today_ordinal)
            if key not in cache:
                cache.clear()
                cache[key] = self.requirement_weights(reqs, rows)
            r = cache[key]
        else:
            r = self.requirement_weights(reqs, rows)
        o = self._layout()
        w_cap, w_lead, w_text = WEIGHTS["capacity"], WEIGHTS["lead_time"], WEIGHTS["text"]
        rules_done = None
        if len(sups) == 1:
            # One supplier: a plain loop beats a (multi-threaded, jittery) BLAS matrix-vector call.
            score = np.einsum("ij,j->i", r["W"], f["F"][0])[:, np.newaxis]
            text = np.einsum("ij,j->i", r["text"], f["text"][0])[:, np.newaxis]
        elif len(rows) <= FEW_ROWS:
            # Few requirements against many suppliers: reading F from memory is the cost, so the
            # hard-rule product rides along in the same pass (its weights padded to F's width).
            b = len(rows)
            both = np.zeros((2 * b, o["width"]), dtype=np.float32)
            both[:b] = r["W"]
            both[b:, : o["rules_width"]] = r["rules"]
            product = both @ f["F"].T
            score, rules_done = product[:b], product[b:]
            text = None
        else:
            score = r["W"] @ f["F"].T
            text = None
        buffer = np.multiply.outer(r["cap_scale"], f["capacity"])
        np.minimum(buffer, np.float32(w_cap), out=buffer)
        score += buffer
        np.subtract.outer(
            r["lead_base"], np.float32(w_lead / LATE_DAYS_TO_ZERO) * f["lead"], out=buffer
        )
        np.clip(buffer, 0.0, w_lead, out=buffer)
        score += buffer
        if text is None:
            np.matmul(r["text"], f["text"].T, out=buffer)
        else:
            buffer[...] = text
        np.clip(buffer, 0.0, w_text, out=buffer)
        score += buffer
        np.multiply.outer(r["local_scale"], f["local"], out=buffer)
        np.minimum(buffer, np.float32(WEIGHTS["local_content"]), out=buffer)
        score += buffer
        local_short = None
        if np.isfinite(r["local_rule"]).any():
            local_short = r["local_rule"][:, np.newaxis] > f["local_gate"][np.newaxis, :]
        if rules_done is not None:
            rules = rules_done
        else:
            rules = np.matmul(r["rules"], f["F"][:, : o["rules_width"]].T, out=buffer)
        needed = (1000.0 * r["required"])[:, np.newaxis]
        rejected = (sups.verification == REJECTED)[np.newaxis, :]
        excluded = (rules < needed + 0.5) | rejected
        if local_short is not None:
            excluded |= local_short
        out = {"score": score, "excluded": excluded}
        if with_parts:
            # rules = 1000 x held + overlap count (at most 35 < 1000). A rejected firm is no near
            # miss: one more certificate would not open anything for it; nor is a firm below a
            # required local content.
            good = (score >= NEAR_MISS_MIN_SCORE) & ~rejected
            if local_short is not None:
                good &= ~local_short
            out["cert_near"] = good & (rules > needed - 999.5) & (rules < needed - 0.5)
            out["proc_near"] = (
                good & (np.abs(rules - needed) < 0.5) & (r["proc_n"] > 0)[:, np.newaxis]
            )
        return out

    def score_pairs(
        self,
        reqs: RequirementArrays,
        r_idx: np.ndarray,
        sups: SupplierArrays,
        s_idx: np.ndarray,
        valid_certs: np.ndarray | None = None,
    ) -> dict:
        """The same formula for a list of (requirement row, supplier row) pairs (1-D arrays)."""
        r_idx = np.asarray(r_idx, dtype=np.int64)
        s_idx = np.asarray(s_idx, dtype=np.int64)
        if valid_certs is None:
            valid_certs = sups.valid_certs(self.today_ordinal, len(self.vocab.certifications))
        node = reqs.component[r_idx]
        comp = sups.components[s_idx]
        pick = np.arange(len(s_idx))
        level = comp[pick, node].astype(np.int8) * 3
        sub = self.vocab.node_subsystem[node]
        use = (self.vocab.node_level[node] == 3) & (sub >= 0)
        level[use] = np.maximum(level[use], comp[pick[use], sub[use]].astype(np.int8) * 2)
        system = self.vocab.node_system[node]
        use = self.vocab.node_level[node] >= 2
        level[use] = np.maximum(level[use], comp[pick[use], system[use]].astype(np.int8))
        vc = valid_certs[s_idx]
        parts = {
            "proc_hits": (reqs.processes[r_idx] * sups.processes[s_idx]).sum(axis=1),
            "proc_n": reqs.processes[r_idx].sum(axis=1),
            "level": level,
            "mat_hits": (reqs.materials[r_idx] * sups.materials[s_idx]).sum(axis=1),
            "mat_n": reqs.materials[r_idx].sum(axis=1),
            "req_hits": (reqs.required_certs[r_idx] * vc).sum(axis=1),
            "req_n": reqs.required_certs[r_idx].sum(axis=1),
            "pref_hits": (reqs.preferred_certs[r_idx] * vc).sum(axis=1),
            "pref_n": reqs.preferred_certs[r_idx].sum(axis=1),
            "capacity": sups.capacity[s_idx],
            "need": reqs.monthly_need[r_idx],
            "lead": sups.lead_time[s_idx],
            "avail": (reqs.needed_by[r_idx] - self.today_ordinal).astype(np.float32),
            "distance": self.distance_table[reqs.province[r_idx], sups.province[s_idx]],
            "text": np.einsum("ij,ij->i", reqs.text[r_idx], sups.text[s_idx]),
            "verified": self.verification_table[sups.verification[s_idx]],
            "rejected": sups.verification[s_idx] == REJECTED,
            "lc_min": reqs.min_local_content[r_idx],
            "lc_required": reqs.local_content_required[r_idx],
            "lc_pct": sups.local_content(self.today_ordinal)[s_idx],
        }
        score, excluded, comps = self._combine(parts)
        return {"score": score, "excluded": excluded, "components": comps, "parts": parts}


def centi(score: np.ndarray | float) -> np.ndarray:
    """Scores in hundredths of a point: the stored precision, and the one ranks are based on."""
    return np.rint(np.asarray(score, dtype=np.float32).astype(np.float64) * 100.0)


def top_k(score: np.ndarray, excluded: np.ndarray, ids: np.ndarray, k: int) -> list[np.ndarray]:
    """Per row, the column indices of the k best non-excluded entries.

    Best first by score in hundredths (as stored), ties broken by the smaller id, so that every
    path (full rescore, one requirement, one supplier) ranks exactly alike. A partial sort finds
    the k-th best raw score; only entries within 0.02 of it can tie with it once rounded.
    """
    out = []
    for row, row_excluded in zip(score, excluded, strict=True):
        candidates = np.flatnonzero(~row_excluded)
        values = row[candidates]
        if len(candidates) > k:
            kth = values[np.argpartition(-values, k - 1)[:k]].min()
            near = values >= kth - np.float32(0.02)
            candidates, values = candidates[near], values[near]
        order = np.lexsort((ids[candidates], -centi(values)))
        out.append(candidates[order][:k])
    return out


@dataclass
class NearMisses:
    """Excluded pairs that one more certification or one more process would open.

    ``cert`` holds (requirement row, supplier row, certification column) triples: the supplier
    lacks exactly that one valid must-have certification and passes the overlap rule.
    ``process`` holds (requirement row, supplier row) pairs: certifications are fine but there is
    no overlap, so adding any one of the requirement's processes opens it.
    Only pairs scoring at least ``NEAR_MISS_MIN_SCORE`` on the current profile count.
    """

    cert: np.ndarray  # (m, 3) int64
    process: np.ndarray  # (m, 2) int64


def near_misses(
    engine: Engine,
    reqs: RequirementArrays,
    rows: np.ndarray,
    sups: SupplierArrays,
    block: dict[str, np.ndarray],
) -> NearMisses:
    """The near misses of a block scored ``with_parts``; for each certificate near miss, the one
    must-have certificate the supplier lacks."""
    rows = np.asarray(rows, dtype=np.int64)
    r, s = np.nonzero(block["cert_near"])
    if len(r):
        features = engine.supplier_features(sups)["F"]
        start = engine._layout()["cert"]
        n_certs = len(engine.vocab.certifications)
        lacking = reqs.required_certs[rows[r]] * (1.0 - features[s, start : start + n_certs])
        cert = np.stack([rows[r], s, np.argmax(lacking, axis=1)], axis=1)
    else:
        cert = np.zeros((0, 3), np.int64)
    pr, ps = np.nonzero(block["proc_near"])
    process = np.stack([rows[pr], ps], axis=1) if len(pr) else np.zeros((0, 2), np.int64)
    return NearMisses(cert=cert.astype(np.int64), process=process.astype(np.int64))
