namespace ChatPulse.Tests.Deployment.Support;

/// <summary>
/// The controls of the Kubernetes "restricted" Pod Security Standard (kubernetes.io/docs/concepts/security/
/// pod-security-standards, which includes every "baseline" control), checked over a pod template as Pod Security
/// Admission checks it: what the API server would refuse in a namespace labelled <c>enforce: restricted</c>.
/// </summary>
public static class PodSecurityStandard
{
    private static readonly HashSet<string> RestrictedVolumeTypes =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    private static readonly HashSet<string> SafeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    ];

    private static readonly HashSet<string> SeLinuxTypes = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

    /// <summary>Every violation of the workload's pod template; empty when it passes.</summary>
    public static IReadOnlyList<string> Violations(KubeObject workload)
    {
        var pod = workload.Get("spec.template.spec") ?? throw new ArgumentException($"{workload} has no pod template");
        var containers = new[] { "containers", "initContainers", "ephemeralContainers" }.SelectMany(k => pod.List(k)).ToList();
        var found = new List<string>();
        void Check(bool ok, string control) { if (!ok) found.Add($"{workload}: {control}"); }

        // Baseline
        Check(pod.Scalar("securityContext.windowsOptions.hostProcess") != "true"
            && containers.All(c => c.Scalar("securityContext.windowsOptions.hostProcess") != "true"), "HostProcess: hostProcess must not be true");
        Check(new[] { "hostNetwork", "hostPID", "hostIPC" }.All(k => pod.Scalar(k) != "true"), "Host Namespaces: hostNetwork, hostPID and hostIPC must not be true");
        Check(containers.All(c => c.Scalar("securityContext.privileged") != "true"), "Privileged Containers: privileged must not be true");
        Check(pod.List("volumes").All(v => v.Get("hostPath") is null), "HostPath Volumes: no hostPath volume");
        Check(containers.All(c => c.List("ports").All(p => p.Scalar("hostPort") is null or "0")), "Host Ports: hostPort must be unset or 0");
        Check(new[] { pod }.Concat(containers).All(n => n.Scalar("securityContext.appArmorProfile.type") is null or "RuntimeDefault" or "Localhost"),
            "AppArmor: only RuntimeDefault or Localhost profiles");
        Check(new[] { pod }.Concat(containers).All(n => SeLinuxTypes.Contains(n.Scalar("securityContext.seLinuxOptions.type") ?? "")
            && n.Scalar("securityContext.seLinuxOptions.user") is null && n.Scalar("securityContext.seLinuxOptions.role") is null),
            "SELinux: only the container types, no user or role");
        Check(containers.All(c => c.Scalar("securityContext.procMount") is null or "Default"), "/proc Mount Type: Default only");
        Check(pod.List("securityContext.sysctls").All(s => SafeSysctls.Contains(s.Scalar("name") ?? "")), "Sysctls: only the safe set");

        // Restricted
        Check(pod.List("volumes").All(v => v.Map().Keys.Where(k => k != "name").All(RestrictedVolumeTypes.Contains)),
            "Volume Types: only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret");
        Check(containers.All(c => c.Scalar("securityContext.allowPrivilegeEscalation") == "false"),
            "Privilege Escalation: allowPrivilegeEscalation must be false in every container");
        var podNonRoot = pod.Scalar("securityContext.runAsNonRoot");
        Check(podNonRoot != "false" && containers.All(c => c.Scalar("securityContext.runAsNonRoot") is "true" || (c.Scalar("securityContext.runAsNonRoot") is null && podNonRoot == "true")),
            "Running as Non-root: runAsNonRoot must be true for the pod or every container");
        Check(pod.Scalar("securityContext.runAsUser") != "0" && containers.All(c => c.Scalar("securityContext.runAsUser") != "0"),
            "Running as Non-root user: runAsUser must not be 0");
        var podSeccomp = pod.Scalar("securityContext.seccompProfile.type");
        Check(podSeccomp is null or "RuntimeDefault" or "Localhost"
            && containers.All(c => c.Scalar("securityContext.seccompProfile.type") is "RuntimeDefault" or "Localhost"
                || (c.Scalar("securityContext.seccompProfile.type") is null && podSeccomp is "RuntimeDefault" or "Localhost")),
            "Seccomp: RuntimeDefault or Localhost for the pod or every container");
        Check(containers.All(c => c.List("securityContext.capabilities.drop").Any(d => d.Value == "ALL")
            && c.List("securityContext.capabilities.add").All(a => a.Value == "NET_BIND_SERVICE")),
            "Capabilities: drop ALL, add at most NET_BIND_SERVICE");
        return found;
    }
}
