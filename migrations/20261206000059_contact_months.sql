-- Money alone is not contact: the monthly tally also counts, per member and
-- month, the reports that are contact (every kind but a contribution of
-- money): `contact_reports` pending or approved (who is silent this month,
-- the last month of activity), `contact` approved (the at-risk warnings).
-- `reports` and `approved` keep counting every report.
ALTER TABLE member_months ADD COLUMN contact_reports INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_months ADD COLUMN contact INTEGER NOT NULL DEFAULT 0;

UPDATE member_months SET
    contact_reports = (
        SELECT COUNT(*) FROM reports r JOIN activity_kinds k ON k.id = r.kind_id
        WHERE r.user_id = member_months.user_id
          AND substr(r.activity_date, 1, 7) = member_months.month
          AND r.status <> 'rejected' AND k.code <> 'contribution'),
    contact = (
        SELECT COUNT(*) FROM reports r JOIN activity_kinds k ON k.id = r.kind_id
        WHERE r.user_id = member_months.user_id
          AND substr(r.activity_date, 1, 7) = member_months.month
          AND r.status = 'approved' AND k.code <> 'contribution');

DROP TRIGGER IF EXISTS member_months_insert;
DROP TRIGGER IF EXISTS member_months_update;
DROP TRIGGER IF EXISTS member_months_delete;

CREATE TRIGGER member_months_insert AFTER INSERT ON reports
BEGIN
    INSERT INTO member_months (user_id, month, reports, approved, contact_reports, contact)
    SELECT NEW.user_id, substr(NEW.activity_date, 1, 7),
           NEW.status <> 'rejected', NEW.status = 'approved',
           NEW.status <> 'rejected' AND k.code <> 'contribution',
           NEW.status = 'approved' AND k.code <> 'contribution'
    FROM activity_kinds k WHERE k.id = NEW.kind_id
    ON CONFLICT (user_id, month) DO UPDATE
    SET reports = reports + excluded.reports, approved = approved + excluded.approved,
        contact_reports = contact_reports + excluded.contact_reports,
        contact = contact + excluded.contact;
END;

CREATE TRIGGER member_months_update AFTER UPDATE OF status, activity_date, user_id, kind_id ON reports
BEGIN
    UPDATE member_months
    SET reports = reports - (OLD.status <> 'rejected'), approved = approved - (OLD.status = 'approved'),
        contact_reports = contact_reports - (OLD.status <> 'rejected' AND
            (SELECT k.code FROM activity_kinds k WHERE k.id = OLD.kind_id) <> 'contribution'),
        contact = contact - (OLD.status = 'approved' AND
            (SELECT k.code FROM activity_kinds k WHERE k.id = OLD.kind_id) <> 'contribution')
    WHERE user_id = OLD.user_id AND month = substr(OLD.activity_date, 1, 7);
    INSERT INTO member_months (user_id, month, reports, approved, contact_reports, contact)
    SELECT NEW.user_id, substr(NEW.activity_date, 1, 7),
           NEW.status <> 'rejected', NEW.status = 'approved',
           NEW.status <> 'rejected' AND k.code <> 'contribution',
           NEW.status = 'approved' AND k.code <> 'contribution'
    FROM activity_kinds k WHERE k.id = NEW.kind_id
    ON CONFLICT (user_id, month) DO UPDATE
    SET reports = reports + excluded.reports, approved = approved + excluded.approved,
        contact_reports = contact_reports + excluded.contact_reports,
        contact = contact + excluded.contact;
END;

CREATE TRIGGER member_months_delete AFTER DELETE ON reports
BEGIN
    UPDATE member_months
    SET reports = reports - (OLD.status <> 'rejected'), approved = approved - (OLD.status = 'approved'),
        contact_reports = contact_reports - (OLD.status <> 'rejected' AND
            (SELECT k.code FROM activity_kinds k WHERE k.id = OLD.kind_id) <> 'contribution'),
        contact = contact - (OLD.status = 'approved' AND
            (SELECT k.code FROM activity_kinds k WHERE k.id = OLD.kind_id) <> 'contribution')
    WHERE user_id = OLD.user_id AND month = substr(OLD.activity_date, 1, 7);
END;
