package nl.beeldzorg.glasses;

import android.app.admin.DeviceAdminReceiver;

/**
 * Makes the app a possible device owner ({@code adb shell dpm set-device-owner
 * nl.beeldzorg.glasses/.AdminReceiver}); as owner it allows itself lock task (kiosk).
 */
public final class AdminReceiver extends DeviceAdminReceiver {

}
