-- The region's ANW subregions, kept by the programme office (PROGRAMME role), not by any
-- one institution: a location is in one of these, and an institution's ADMIN cannot make
-- up a subregion (and with it a roster of its own) by naming it on a location. Filled
-- here from the subregions the locations already name.
CREATE TABLE subregion (
    id         VARCHAR(100) PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    updated_by VARCHAR(128) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO subregion (id, name, updated_by, updated_at)
SELECT DISTINCT subregion, subregion, 'migration V14', CURRENT_TIMESTAMP FROM location;
