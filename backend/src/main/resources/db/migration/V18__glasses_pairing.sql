-- Glasses paired to a ward: the Android app's device id (a random id the app keeps), the
-- institution whose ADMIN paired it, a name people know it by, and the locations it
-- offers. Unpaired glasses offer all of the signed-in nurse's institution's locations.
CREATE TABLE glasses_pairing (
    device_id      VARCHAR(64)  PRIMARY KEY,
    institution_id VARCHAR(64)  NOT NULL REFERENCES institution (id),
    name           VARCHAR(200) NOT NULL,
    updated_by     VARCHAR(128) NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE glasses_pairing_location (
    device_id   VARCHAR(64) NOT NULL REFERENCES glasses_pairing (device_id) ON DELETE CASCADE,
    location_id VARCHAR(64) NOT NULL REFERENCES location (id),
    PRIMARY KEY (device_id, location_id)
);
