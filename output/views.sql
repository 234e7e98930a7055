-- Analytic views over the warehouse; `thaiplan sql DIR` and `thaiplan report DIR` create them
-- on top of one view per dataset (documents, strategies, projects, timeline, stats, findings, pages).
-- One plan is counted once: the views below count current documents only (superseded_by IS NULL;
-- pipeline/plans.py decides which document of a plan is current).

-- The current document of every plan, and every document whose plan is unknown.
CREATE OR REPLACE VIEW current_documents AS
SELECT * FROM documents WHERE superseded_by IS NULL;

-- One row per plan (office, fiscal year, title): its current document and how many files of it were seen.
CREATE OR REPLACE VIEW plans AS
SELECT d.plan_id, c.office, c.fiscal_year_be, c.title, c.doc_id AS current_doc_id,
       c.source_path AS current_source_path, c.status AS current_status, count(*) AS documents,
       list(d.doc_id ORDER BY d.doc_id) FILTER (WHERE d.superseded_by IS NOT NULL) AS superseded_doc_ids
FROM documents d JOIN documents c ON c.plan_id = d.plan_id AND c.superseded_by IS NULL
WHERE d.plan_id IS NOT NULL
GROUP BY d.plan_id, c.office, c.fiscal_year_be, c.title, c.doc_id, c.source_path, c.status;

-- Projects with their office, year and period (the timeline row linked to each project).
CREATE OR REPLACE VIEW project_details AS
SELECT d.office, d.province, d.area_level, p.fiscal_year_be, p.doc_id, p.strategy_no, p.seq,
       p.name, p.responsible_group, p.budget_thb, t.start_date, t.end_date, t.date_precision, p.page
FROM projects p
JOIN current_documents d USING (doc_id)
LEFT JOIN timeline t
  ON t.doc_id = p.doc_id AND t.strategy_no = p.strategy_no AND t.project_seq = p.seq;

-- Total budget per office and fiscal year (sum of project rows, as printed).
CREATE OR REPLACE VIEW budget_by_office_year AS
SELECT office, fiscal_year_be, count(*) AS projects, sum(budget_thb) AS budget_thb
FROM project_details GROUP BY ALL;

-- Projects and budget per responsible group (canonical names).
CREATE OR REPLACE VIEW projects_by_group AS
SELECT responsible_group, count(*) AS projects, sum(budget_thb) AS budget_thb
FROM project_details GROUP BY ALL;

-- One row per project and calendar month in which it runs.
CREATE OR REPLACE VIEW project_months AS
SELECT office, fiscal_year_be, strategy_no, seq, name, responsible_group, budget_thb,
       CAST(month AS DATE) AS month
FROM project_details,
     generate_series(date_trunc('month', start_date), date_trunc('month', end_date), INTERVAL 1 MONTH) AS g(month)
WHERE start_date IS NOT NULL AND end_date IS NOT NULL AND end_date >= start_date;

-- Strategies with the gap between what was printed and what the rows add up to.
CREATE OR REPLACE VIEW strategy_totals AS
SELECT d.office, s.fiscal_year_be, s.strategy_no, s.title, s.declared_budget_thb, s.table_total_thb,
       s.computed_budget_thb, s.computed_budget_thb - s.declared_budget_thb AS difference_thb,
       s.declared_project_count, s.project_count
FROM strategies s JOIN current_documents d USING (doc_id);
