package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * The fleet-wide counts of the dashboard (SPEC §5.3) and of the shell's {@code stats}.
 *
 * @since 0.1.0
 */
public record DashboardDTO(Entities hosts, Entities images, long kernels, long kubernetesRows, Targets packages,
        Targets packageVersions, long sourcePackages, long sourcePackageVersions, Upgrades upgrades) {

    /**
     * @param total         stored entities
     * @param withUpgrades  with at least one upgradable row
     * @param withSecurity  with at least one security upgrade
     * @param latestUpdate  most recent last update, or null when there is none
     * @param oldestUpdate  least recent last update, or null when there is none
     * @param stale         not reported within the {@link StalenessPolicy}'s threshold (since 0.3.0)
     */
    public record Entities(long total, long withUpgrades, long withSecurity, Instant latestUpdate, Instant oldestUpdate, long stale) {

        /** Figures without the stale count. */
        public Entities(long total, long withUpgrades, long withSecurity, Instant latestUpdate, Instant oldestUpdate) {
            this(total, withUpgrades, withSecurity, latestUpdate, oldestUpdate, 0);
        }
    }

    /**
     * @param total        stored binary packages (or package versions)
     * @param withUpgrades the upgrade target of at least one row
     * @param withSecurity the security-upgrade target of at least one row
     */
    public record Targets(long total, long withUpgrades, long withSecurity) {
    }

    /**
     * @param hosts          upgradable host rows
     * @param images         upgradable image rows
     * @param hostsSecurity  host rows with a security upgrade
     * @param imagesSecurity image rows with a security upgrade
     */
    public record Upgrades(long hosts, long images, long hostsSecurity, long imagesSecurity) {
    }
}
