/**
 * The web pages served by the backend (static files under {@code static/}).
 */
@NullMarked
package nl.beeldzorg.web;

import org.jspecify.annotations.NullMarked;
