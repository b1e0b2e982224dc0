# runpod-runner as a Nix flake: `nix run` for the operator's command line, `nix develop` for a
# shell with what the tests need (Go, OpenSSH's sshd, shellcheck). vendorHash is checked against
# go.sum by flake_test.go (which recomputes it with `go mod vendor` and `nix hash path`).
{
  description = "runpod-runner: ephemeral GitHub Actions runners on RunPod GPU pods";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAll = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      version = "0.0.0-${self.shortRev or self.dirtyShortRev or "dirty"}";
    in
    {
      packages = forAll (pkgs: {
        default = pkgs.buildGoModule {
          pname = "runpod-runner";
          inherit version;
          src = self;
          subPackages = [ "." ];
          vendorHash = "sha256-tKT/q3LWMuCJYE1JtJCJX5tJR5HNRT9vuSV8yUf5RZ0=";
          env.CGO_ENABLED = "0";
          ldflags = [ "-s" "-w" "-X main.version=${version}" ];
          # The tests start sshd pods and stand-ins; they run with `nix develop -c make test`.
          doCheck = false;
          meta = {
            description = "Ephemeral GitHub Actions runners on RunPod GPU pods";
            mainProgram = "runpod-runner";
          };
        };
      });

      apps = forAll (pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${pkgs.stdenv.hostPlatform.system}.default}/bin/runpod-runner";
        };
      });

      devShells = forAll (pkgs: {
        default = pkgs.mkShell {
          packages = [ pkgs.go pkgs.openssh pkgs.shellcheck pkgs.curl pkgs.gnumake ];
        };
      });
    };
}
