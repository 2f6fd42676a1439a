-- Issue 9: views. The accent-folded key of a workplace's name ("so tu phap"
-- finds "Sở Tư pháp"), filled in Rust (`store::workplaces::fill_folds`).
ALTER TABLE workplaces ADD COLUMN name_fold TEXT;
CREATE INDEX workplaces_name_fold ON workplaces (name_fold);
