/**
 * IMOZ: a huisarts (GP) consults an SO about a frail patient living at home. Written
 * questions answered within the agreed days, with billing codes for declaration.
 */
@NullMarked
package nl.beeldzorg.imoz;

import org.jspecify.annotations.NullMarked;
