-- The month a member was introduced to the cell (first day of the month,
-- YYYY-MM-01): the evidence period of a year starts there. NULL for members
-- from before it was asked: the month they were accepted is used.
ALTER TABLE memberships ADD COLUMN introduced_on TEXT;
