/**
 * Recording a consult, only with recorded consent (API.md "Recording", v1.1): the consent
 * is stored before the media server is asked to record, every peer is told when a
 * recording starts and stops, the files are listed and fetched by the parties and the
 * institution's ADMIN (each access audited), and deleted after the retention.
 */
@NullMarked
package nl.beeldzorg.recording;

import org.jspecify.annotations.NullMarked;
