/**
 * An institution's settings, kept by its ADMIN: locations with coordinates, consultants'
 * bases, the travel-time matrix and versioned valuation rules; by API and CSV import.
 */
@NullMarked
package nl.beeldzorg.settings;

import org.jspecify.annotations.NullMarked;
