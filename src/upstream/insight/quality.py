"""The quality report of a linkage run: accuracy against the synthetic truth, who is under-linked,
over-link checks, a clerical review sample, and the model. HTML with charts, CSV and JSON.

Pairwise figures count pairs of source records (two records of one person are one true pair);
cluster figures count people (a person is exactly right when their records form one cluster
holding nothing else). Link rate of a group: the share of its people with two or more records
whose records are all in one cluster.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from jinja2 import Environment, PackageLoader, select_autoescape

GROUPS = ("age_band", "sex", "ethnic_group", "ward")


@dataclass
class Accuracy:
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    cluster_precision: float  # predicted people that are exactly one true person
    cluster_recall: float  # true people recovered exactly
    records: int
    true_people: int
    predicted_people: int


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def load_truth(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE truth_records AS SELECT source, record_id, person_id AS truth_id FROM read_parquet(?)",
        [str(truth_dir / "record_truth.parquet")],
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE evaluated AS
        SELECT r.record_key, p.person_id AS pred, t.truth_id
        FROM person_records r JOIN record_person p USING (record_key)
        JOIN truth_records t ON t.source = r.source AND t.record_id = r.record_id
        """
    )


def accuracy(con: duckdb.DuckDBPyConnection, table: str = "evaluated") -> Accuracy:
    """Pairwise and cluster accuracy of (pred, truth_id) labels per record in `table`."""
    row = con.execute(
        f"""
        WITH a AS (SELECT count(*) n FROM {table} GROUP BY pred), b AS (SELECT count(*) n FROM {table} GROUP BY truth_id),
        c AS (SELECT count(*) n FROM {table} GROUP BY pred, truth_id),
        sizes AS (SELECT pred, truth_id, count(*) n, count(*) OVER (PARTITION BY pred) AS pred_parts,
                         count(*) OVER (PARTITION BY truth_id) AS truth_parts FROM {table} GROUP BY pred, truth_id)
        SELECT (SELECT sum(n * (n - 1) / 2) FROM a), (SELECT sum(n * (n - 1) / 2) FROM b), (SELECT sum(n * (n - 1) / 2) FROM c),
               (SELECT count(*) FROM sizes WHERE pred_parts = 1 AND truth_parts = 1),
               (SELECT count(DISTINCT pred) FROM {table}), (SELECT count(DISTINCT truth_id) FROM {table}), (SELECT count(*) FROM {table})
        """
    ).fetchall()[0]
    predicted_pairs, true_pairs, both, exact, n_pred, n_true, n_records = (
        float(v or 0) for v in row
    )
    p = both / predicted_pairs if predicted_pairs else 1.0
    r = both / true_pairs if true_pairs else 1.0
    return Accuracy(
        round(p, 5),
        round(r, 5),
        round(_f1(p, r), 5),
        round(exact / n_pred, 5) if n_pred else 0.0,
        round(exact / n_true, 5) if n_true else 0.0,
        int(n_records),
        int(n_true),
        int(n_pred),
    )


def link_rates(
    con: duckdb.DuckDBPyConnection, truth_dir: Path
) -> dict[str, list[dict[str, object]]]:
    """Per group: people with 2+ records, and the share fully linked (all records in one cluster)."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE truth_people AS
        WITH home AS (SELECT person_id, arg_max(CAST(uprn AS VARCHAR), from_date) AS uprn FROM read_parquet('{truth_dir / "residence.parquet"}') GROUP BY person_id)
        SELECT p.person_id AS truth_id, p.sex, p.ethnic_group,
               CASE WHEN date_diff('year', p.dob, DATE '2022-04-01') < 18 THEN '0-17'
                    WHEN date_diff('year', p.dob, DATE '2022-04-01') < 35 THEN '18-34'
                    WHEN date_diff('year', p.dob, DATE '2022-04-01') < 65 THEN '35-64' ELSE '65+' END AS age_band,
               coalesce(g.ward, 'no fixed abode or unknown') AS ward
        FROM read_parquet('{truth_dir / "people.parquet"}') p LEFT JOIN home h ON h.person_id = p.person_id
        LEFT JOIN gazetteer g ON g.uprn = h.uprn
        """
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE person_linked AS SELECT truth_id, count(*) AS records, count(DISTINCT pred) = 1 AS fully_linked "
        "FROM evaluated GROUP BY truth_id HAVING count(*) > 1"
    )
    rates: dict[str, list[dict[str, object]]] = {}
    for group in GROUPS:
        rows = con.execute(
            f"SELECT {group}, count(*), round(avg(CASE WHEN fully_linked THEN 1 ELSE 0 END), 4) FROM person_linked "
            f"JOIN truth_people USING (truth_id) GROUP BY 1 ORDER BY 1"
        ).fetchall()
        rates[group] = [
            {"group": str(g), "people": int(n), "link_rate": float(r)} for g, n, r in rows
        ]
    return rates


def over_link_checks(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Checks that need no truth (NHS numbers, birth dates) and one that does (true people per cluster)."""

    def count(sql: str) -> int:
        return int(con.execute(sql).fetchall()[0][0] or 0)

    return {
        "people_with_two_nhs_numbers": count(
            "SELECT count(*) FROM (SELECT person_id FROM person_records JOIN record_person USING (record_key) "
            "WHERE nhs_number IS NOT NULL GROUP BY person_id HAVING count(DISTINCT nhs_number) > 1)"
        ),
        "people_with_birth_dates_over_a_year_apart": count(
            "SELECT count(*) FROM (SELECT person_id FROM person_records JOIN record_person USING (record_key) "
            "GROUP BY person_id HAVING date_diff('day', min(dob), max(dob)) > 366)"
        ),
        "predicted_people_holding_several_true_people": count(
            "SELECT count(*) FROM (SELECT pred FROM evaluated GROUP BY pred HAVING count(DISTINCT truth_id) > 1)"
        ),
        "largest_person_records": count(
            "SELECT max(n) FROM (SELECT count(*) n FROM record_person GROUP BY person_id)"
        ),
    }


def clerical_sample(con: duckdb.DuckDBPyConnection, size: int = 50) -> list[dict[str, object]]:
    """The Splink links closest to the threshold, one per pair of names: where a person's eye
    is worth most."""
    sides = ", ".join(
        f"{side}.source AS source_{s}, coalesce({side}.forename, {side}.forename_initial) AS forename_{s}, "
        f"coalesce({side}.surname, {side}.surname_initial) AS surname_{s}, "
        f"CAST({side}.dob AS VARCHAR) AS dob_{s}, {side}.postcode AS postcode_{s}"
        for side, s in (("a", "l"), ("b", "r"))
    )
    cursor = con.execute(
        f"SELECT round(e.match_probability, 4) AS match_probability, {sides} FROM edges e "
        "JOIN identities a ON a.identity_id = e.identity_l JOIN identities b ON b.identity_id = e.identity_r "
        "WHERE e.method = 'probabilistic' QUALIFY row_number() OVER (PARTITION BY "
        "least(concat_ws(' ', a.forename, a.surname), concat_ws(' ', b.forename, b.surname)), "
        "greatest(concat_ws(' ', a.forename, a.surname), concat_ws(' ', b.forename, b.surname)) "
        f"ORDER BY e.match_probability) = 1 ORDER BY match_probability, source_l LIMIT {size}"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _chart(rates: list[dict[str, object]], title: str) -> str:
    figure, axis = plt.subplots(figsize=(7, max(1.6, 0.32 * len(rates) + 0.8)))
    labels = [str(r["group"]) for r in rates]
    values = [float(str(r["link_rate"])) * 100 for r in rates]
    axis.barh(labels, values, color="#1d70b8")
    axis.set_xlim(min([90.0, *values]) - 1, 100)
    axis.set_xlabel("people fully linked (%)")
    axis.set_title(title, loc="left", fontsize=11)
    axis.invert_yaxis()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def write_report(folder: Path, run_id: str, result: dict[str, object]) -> Path:
    """quality.json, link_rates.csv, clerical_review.csv and quality.html in the run folder."""
    (folder / "quality.json").write_text(
        json.dumps(result, indent=2, default=str), encoding="utf-8"
    )
    rates = result["link_rates"]
    assert isinstance(rates, dict)
    lines = ["group_by,group,people,link_rate"] + [
        f'{by},"{r["group"]}",{r["people"]},{r["link_rate"]}'
        for by, rows in rates.items()
        for r in rows
    ]
    (folder / "link_rates.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sample = result["clerical_review"]
    assert isinstance(sample, list)
    if sample:
        header = list(sample[0])
        body = [",".join(f'"{row[h]}"' for h in header) for row in sample]
        (folder / "clerical_review.csv").write_text(
            "\n".join([",".join(header), *body]) + "\n", encoding="utf-8"
        )
    charts = {
        by: _chart(rows, f"Link rate by {by.replace('_', ' ')}")
        for by, rows in rates.items()
        if rows
    }
    env = Environment(
        loader=PackageLoader("upstream.insight", "templates"), autoescape=select_autoescape()
    )
    html = env.get_template("quality.html").render(run_id=run_id, r=result, charts=charts)
    path = folder / "quality.html"
    path.write_text(html, encoding="utf-8")
    return path


def quality_report(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    run_id: str,
    truth_dir: Path | None,
    counts: dict[str, int],
    timings: dict[str, float],
) -> dict[str, object]:
    result: dict[str, object] = {
        "run_id": run_id,
        "counts": counts,
        "timings_seconds": timings,
        "model": "model.json",
    }
    if truth_dir and (truth_dir / "record_truth.parquet").exists():
        load_truth(con, truth_dir)
        result["accuracy"] = asdict(accuracy(con))
        result["link_rates"] = link_rates(con, truth_dir)
    else:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE evaluated (record_key VARCHAR, pred VARCHAR, truth_id BIGINT)"
        )
        result["link_rates"] = {}
    result["over_link_checks"] = over_link_checks(con)
    result["clerical_review"] = clerical_sample(con)
    write_report(folder, run_id, result)
    return result
