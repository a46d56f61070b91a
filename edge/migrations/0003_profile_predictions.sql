-- What the shopper's own browser predicted at the last sync (the model runs on-device; the edge only stores
-- its outputs), so the dashboard can say what each segment is worth. NULL until a page has scored.
ALTER TABLE profiles ADD COLUMN value_tier TEXT;
ALTER TABLE profiles ADD COLUMN churn_risk REAL;
ALTER TABLE profiles ADD COLUMN predicted_spend REAL;
-- The shopper's strongest product interests as a JSON array of {id, score} (at most 16, weighted counts, no
-- times): summed per segment into "popular with shoppers like you". NULL when the shopper named no product.
ALTER TABLE profiles ADD COLUMN products TEXT;
