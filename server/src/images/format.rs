//! Size formatting. Sizes are shown in MiB labelled "MB", as Microsoft's own size reports and
//! Docker Hub do; the hover footer says so.

const MIB: f64 = 1024.0 * 1024.0;
const GIB_IN_MIB: f64 = 1024.0;

/// "4.7 MB", "91.4 MB", "2.07 GB".
pub fn size(bytes: u64) -> String {
    let mib = bytes as f64 / MIB;
    if mib >= GIB_IN_MIB {
        format!("{:.2} GB", mib / GIB_IN_MIB)
    } else {
        format!("{mib:.1} MB")
    }
}

/// Rounded for an inlay hint: "≈ 4.7 MB", "≈ 91 MB", "≈ 2.1 GB".
pub fn approximate_size(bytes: u64) -> String {
    let mib = bytes as f64 / MIB;
    if mib >= GIB_IN_MIB {
        format!("≈ {:.1} GB", mib / GIB_IN_MIB)
    } else if mib >= 10.0 {
        format!("≈ {mib:.0} MB")
    } else {
        format!("≈ {mib:.1} MB")
    }
}

/// A saving, rounded like an inlay hint: "-39 MB", "-7.2 MB", "-1.9 GB".
pub fn saving(bytes: u64) -> String {
    let mib = bytes as f64 / MIB;
    if mib >= GIB_IN_MIB {
        format!("-{:.1} GB", mib / GIB_IN_MIB)
    } else if mib >= 10.0 {
        format!("-{mib:.0} MB")
    } else {
        format!("-{mib:.1} MB")
    }
}

/// Whole MiB, for JSON consumers that want a number next to the exact bytes.
pub fn mib(bytes: u64) -> f64 {
    (bytes as f64 / MIB * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_mib() {
        assert_eq!(size(95_868_968), "91.4 MB");
        assert_eq!(size(4_934_560), "4.7 MB");
        assert_eq!(size(2_220_753_277), "2.07 GB");
        assert_eq!(approximate_size(95_868_968), "≈ 91 MB");
        assert_eq!(approximate_size(4_934_560), "≈ 4.7 MB");
        assert_eq!(approximate_size(2_220_753_277), "≈ 2.1 GB");
        assert_eq!(saving(95_868_968 - 55_137_755), "-39 MB");
        assert_eq!(saving(7_549_747), "-7.2 MB");
        assert_eq!(mib(95_868_968), 91.4);
    }
}
