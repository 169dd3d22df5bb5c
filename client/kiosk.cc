// client/kiosk: being written.
