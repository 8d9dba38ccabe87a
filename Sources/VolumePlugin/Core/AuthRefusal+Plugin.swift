import Gluster

extension AuthRefusal {
    /// What the plugin tells Docker's user: the refusal and what an operator on a pool host does
    /// about it, in gluster's own terms (the plugin's host may have no brickctl command line).
    var pluginHint: String {
        "\(description): on a pool host add \(addressToAllow) to the volume's auth.allow "
            + "(`gluster volume get \(volume) auth.allow` shows the list, "
            + "`gluster volume set \(volume) auth.allow LIST,\(addressToAllow)` sets it)"
    }
}
