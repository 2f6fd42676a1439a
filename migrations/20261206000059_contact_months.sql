-- Money alone is not contact: the monthly tally also counts, per member and
-- month, the approved reports that are contact (every kind but a
-- contribution of money). The at-risk warnings read it; `approved` keeps
-- counting every approved report.
ALTER TABLE member_months ADD COLUMN contact INTEGER NOT NULL DEFAULT 0;

UPDATE member_months SET contact = (
    SELECT COUNT(*) FROM reports r JOIN activity_kinds k ON k.id = r.kind_id
    WHERE r.user_id = member_months.user_id
      AND substr(r.activity_date, 1, 7) = member_months.month
      AND r.status = 'approved' AND k.code <> 'contribution');

DROP TRIGGER IF EXISTS member_months_insert;
DROP TRIGGER IF EXISTS member_months_update;
DROP TRIGGER IF EXISTS member_months_delete;

CREATE TRIGGER member_months_insert AFTER INSERT ON reports
BEGIN
    INSERT INTO member_months (user_id, month, reports, approved, contact)
    VALUES (NEW.user_id, substr(NEW.activity_date, 1, 7),
            NEW.status <> 'rejected', NEW.status = 'approved',
            NEW.status = 'approved' AND NOT EXISTS
                (SELECT 1 FROM activity_kinds k WHERE k.id = NEW.kind_id AND k.code = 'contribution'))
    ON CONFLICT (user_id, month) DO UPDATE
    SET reports = reports + excluded.reports, approved = approved + excluded.approved,
        contact = contact + excluded.contact;
END;

CREATE TRIGGER member_months_update AFTER UPDATE OF status, activity_date, user_id, kind_id ON reports
BEGIN
    UPDATE member_months
    SET reports = reports - (OLD.status <> 'rejected'), approved = approved - (OLD.status = 'approved'),
        contact = contact - (OLD.status = 'approved' AND NOT EXISTS
            (SELECT 1 FROM activity_kinds k WHERE k.id = OLD.kind_id AND k.code = 'contribution'))
    WHERE user_id = OLD.user_id AND month = substr(OLD.activity_date, 1, 7);
    INSERT INTO member_months (user_id, month, reports, approved, contact)
    VALUES (NEW.user_id, substr(NEW.activity_date, 1, 7),
            NEW.status <> 'rejected', NEW.status = 'approved',
            NEW.status = 'approved' AND NOT EXISTS
                (SELECT 1 FROM activity_kinds k WHERE k.id = NEW.kind_id AND k.code = 'contribution'))
    ON CONFLICT (user_id, month) DO UPDATE
    SET reports = reports + excluded.reports, approved = approved + excluded.approved,
        contact = contact + excluded.contact;
END;

CREATE TRIGGER member_months_delete AFTER DELETE ON reports
BEGIN
    UPDATE member_months
    SET reports = reports - (OLD.status <> 'rejected'), approved = approved - (OLD.status = 'approved'),
        contact = contact - (OLD.status = 'approved' AND NOT EXISTS
            (SELECT 1 FROM activity_kinds k WHERE k.id = OLD.kind_id AND k.code = 'contribution'))
    WHERE user_id = OLD.user_id AND month = substr(OLD.activity_date, 1, 7);
END;
