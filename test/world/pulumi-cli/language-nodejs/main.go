// pulumi-language-nodejs: a minimal Node.js language host for the Pulumi CLI of the test world.
//
// Pulumi's own host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not served by the
// Go module proxy reachable here, so this small host stands in for it. It speaks the same plugin protocol (engine
// address as the last argument, the gRPC port printed on stdout) and runs programs the same way Pulumi's host does:
// `node <@pulumi/pulumi/cmd/run> --monitor ... --engine ... --project ... --stack ... --pwd ... [--dry-run] <entry>`
// with the stack configuration in PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS, resolved from the program directory.
//
// Where users notice it, it does what Pulumi's host does: the packages it reports as required are found by the
// same rule (every package under the program's node_modules whose package.json has `pulumi.resource: true`, with
// its plugin name, version and download server), `runtime.options.nodeargs` is passed to node, and a health check of
// the engine every 5 minutes ends the host when the engine is gone. What it leaves out is listed, with why, in
// docs/test-world-pulumi.md ("Differences from Pulumi's host").
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The Node.js SDK exits with this code after it has already shown the user an actionable error
// (nodeJSProcessExitedAfterLoggingUserActionableMessage in @pulumi/pulumi/cmd/run): the engine should just bail.
const exitAfterUserActionableMessage = 32

// version is set with -ldflags "-X main.version=..." to the CLI's version.
var version = "3.259.0"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string

	mu       sync.Mutex
	children map[*exec.Cmd]struct{}
}

func main() {
	// The engine passes flags (logging, tracing) first and its own gRPC address last.
	var engineAddress string
	for _, arg := range os.Args[1:] {
		if !strings.HasPrefix(arg, "-") {
			engineAddress = arg
		}
	}
	if engineAddress == "" {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs: missing the engine address argument")
		os.Exit(1)
	}
	h := &host{engineAddress: engineAddress, children: map[*exec.Cmd]struct{}{}}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	// If the engine dies without closing us (killed CLI), stop the programs and exit instead of lingering; checked
	// every 5 minutes, as Pulumi's host does.
	ctx, engineGone := context.WithCancel(context.Background())
	if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, engineGone); err == nil {
		go func() {
			<-ctx.Done()
			h.killChildren()
			os.Exit(1)
		}()
	}
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins answers by the same rule as GetRequiredPackages, for engines that still ask this way.
func (h *host) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	packages := requiredPackages(req.GetInfo().GetProgramDirectory())
	plugins := make([]*pulumirpc.PluginDependency, 0, len(packages))
	for _, p := range packages {
		plugins = append(plugins, &pulumirpc.PluginDependency{Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// GetRequiredPackages reports the resource plugins the program's node_modules asks for: before it runs the program,
// the CLI downloads each one it does not have (skipped when plugin downloads are off, as in the test world).
func (h *host) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{Packages: requiredPackages(req.GetInfo().GetProgramDirectory())}, nil
}

// Cancel interrupts running programs; the SDK finishes outstanding registrations and exits.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.children {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(syscall.SIGINT)
		}
	}
	return &emptypb.Empty{}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return nil, status.Error(codes.InvalidArgument, "RunRequest without program info")
	}
	programDir := info.GetProgramDirectory()
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	runPath, err := resolveFrom(programDir, node, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	config, err := json.Marshal(orEmptyMap(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(orEmptySlice(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	// Pulumi's host runs TypeScript through ts-node unless `runtime.options.typescript: false`; same default here.
	options := info.GetOptions().AsMap()
	if ts, ok := options["typescript"].(bool); !ok || ts {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if p, ok := options["tsconfig"].(string); ok && p != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+p)
	}
	// `runtime.options.nodeargs` go to node before the run harness, split like a shell would (as Pulumi's host does).
	var args []string
	if raw, ok := options["nodeargs"]; ok {
		text, isString := raw.(string)
		if !isString {
			return &pulumirpc.RunResponse{Error: "nodeargs option must be a string"}, nil
		}
		if args, err = shlex.Split(text); err != nil {
			return &pulumirpc.RunResponse{Error: "nodeargs: " + err.Error()}, nil
		}
	}
	args = append(args, runPath)
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", programDir)
	add("root-directory", info.GetRootDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cmd := exec.Command(node, args...)
	cmd.Dir = programDir
	cmd.Env = env
	// The engine shows the plugin's stdout and stderr; wrap them so node cannot change their blocking mode.
	cmd.Stdout = struct{ *os.File }{os.Stdout}
	cmd.Stderr = struct{ *os.File }{os.Stderr}
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: "could not start node: " + err.Error()}, nil
	}
	h.track(cmd, true)
	defer h.track(cmd, false)

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		// The engine went away: do not leave the program running.
		_ = cmd.Process.Kill()
		<-done
		return nil, ctx.Err()
	}
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if exitErr.ExitCode() == exitAfterUserActionableMessage {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	}
	return &pulumirpc.RunResponse{Error: "Problem executing program: " + err.Error()}, nil
}

func (h *host) killChildren() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.children {
		if cmd.Process != nil {
			_ = cmd.Process.Kill()
		}
	}
}

func (h *host) track(cmd *exec.Cmd, running bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if running {
		h.children[cmd] = struct{}{}
	} else {
		delete(h.children, cmd)
	}
}

// resolveFrom finds a module the way the program itself would (node's resolution from the program directory), so
// the program and the run harness share one copy of @pulumi/pulumi.
func resolveFrom(dir, node, module string) (string, error) {
	cmd := exec.Command(node, "-e", "process.stdout.write(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not resolve %s from %s (is @pulumi/pulumi installed there?): %w",
			module, dir, err)
	}
	return filepath.Clean(string(out)), nil
}

func orEmptyMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orEmptySlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// RunPlugin runs a plugin from its source folder (a PulumiPlugin.yaml with `runtime: nodejs`, such as a component
// package added with `pulumi package add <folder>`), as Pulumi's host does: `node [nodeargs] <@pulumi/pulumi/cmd/
// run-plugin resolved from the plugin folder> <plugin folder> <engine's args>` in the engine's working directory,
// with the environment the engine sends and the plugin's output streamed back to it. The run harness loads the
// folder's entry point and, when it exports ComponentResource classes, serves them as a provider
// (componentProviderHost); the engine reads the provider's port from the streamed stdout. Policy packs and the
// debugger are left out (see docs/test-world-pulumi.md).
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.GetKind() == "analyzer" {
		return status.Error(codes.Unimplemented, "policy packs are not supported by this language host")
	}
	info := req.GetInfo()
	if info == nil {
		return status.Error(codes.InvalidArgument, "RunPluginRequest without program info")
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	pluginDir := info.GetProgramDirectory()
	runPath, err := resolveFrom(pluginDir, node, "@pulumi/pulumi/cmd/run-plugin")
	if err != nil {
		return err
	}
	env := req.GetEnv()
	options := info.GetOptions().AsMap()
	if ts, ok := options["typescript"].(bool); !ok || ts {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if p, ok := options["tsconfig"].(string); ok && p != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+p)
	}
	var args []string
	if raw, ok := options["nodeargs"]; ok {
		text, isString := raw.(string)
		if !isString {
			return errors.New("nodeargs option must be a string")
		}
		if args, err = shlex.Split(text); err != nil {
			return fmt.Errorf("nodeargs: %w", err)
		}
	}
	args = append(args, runPath, pluginDir)
	args = append(args, req.GetArgs()...)

	// The engine cancels the context when it closes the plugin: the node process ends with it.
	cmd := exec.CommandContext(server.Context(), node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return fmt.Errorf("Problem executing plugin program (could not run node): %w", err)
	}
	return closer.Close()
}
