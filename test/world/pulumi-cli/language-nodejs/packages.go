// Which resource plugins a program needs, found the way Pulumi's pulumi-language-nodejs finds them
// (getPackagesFromDir in sdk/nodejs/cmd/pulumi-language-nodejs/main.go): walk the program directory deeply; every
// package.json inside a node_modules folder whose "pulumi" section says `resource: true` names a plugin. So a
// package that merely sits in node_modules (a dependency nobody imports) still makes the CLI fetch its plugin.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON is the part of a package.json the rule reads.
type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource         bool   `json:"resource"`
		Name             string `json:"name"`
		Version          string `json:"version"`
		Server           string `json:"server"`
		Parameterization *struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Value   []byte `json:"value"`
		} `json:"parameterization"`
	} `json:"pulumi"`
}

// requiredPackages lists the plugins under dir. Unreadable folders and malformed package.json files are skipped
// (Pulumi's host logs them at verbosity 3 and goes on).
func requiredPackages(dir string) []*pulumirpc.PackageDependency {
	packages, _ := packagesFromDir(dir, false, map[string]struct{}{})
	return packages
}

func packagesFromDir(dir string, inNodeModules bool, visited map[string]struct{}) ([]*pulumirpc.PackageDependency, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	// Symlinked folders (npm link, workspaces, our test projects) can lead back to a folder already walked.
	if _, seen := visited[dir]; seen {
		return nil, nil
	}
	visited[dir] = struct{}{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var packages []*pulumirpc.PackageDependency
	var problems []error
	for _, entry := range entries {
		path := filepath.Join(dir, entry.Name())
		isDir := entry.IsDir()
		if entry.Type()&os.ModeSymlink != 0 {
			if path, err = filepath.EvalSymlinks(path); err != nil {
				problems = append(problems, err)
				continue
			}
			info, err := os.Stat(path)
			if err != nil {
				problems = append(problems, err)
				continue
			}
			isDir = info.IsDir()
		}
		switch {
		case isDir:
			more, err := packagesFromDir(path, inNodeModules || filepath.Base(dir) == "node_modules", visited)
			if err != nil {
				problems = append(problems, err)
			}
			packages = append(packages, more...)
		case inNodeModules && entry.Name() == "package.json":
			dep, err := packageOf(path)
			if err != nil {
				problems = append(problems, err)
			} else if dep != nil {
				packages = append(packages, dep)
			}
		}
	}
	return packages, errors.Join(problems...)
}

// packageOf reads one package.json: the plugin it names, or nil when it is no resource package.
func packageOf(path string) (*pulumirpc.PackageDependency, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var info packageJSON
	if err := json.Unmarshal(text, &info); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !info.Pulumi.Resource {
		return nil, nil
	}
	// The plugin name: pulumi.name, else the package name without its @pulumi/ scope (third-party packages must
	// name their plugin).
	name := info.Pulumi.Name
	if name == "" {
		if !strings.HasPrefix(info.Name, "@pulumi/") {
			return nil, fmt.Errorf("%s: missing pulumi.name for the third-party plugin %q", path, info.Name)
		}
		name = strings.TrimPrefix(info.Name, "@pulumi/")
	}
	version := info.Pulumi.Version
	if version == "" {
		version = info.Version
	}
	if version == "" {
		return nil, fmt.Errorf("%s: missing version", path)
	}
	if !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: version, Server: info.Pulumi.Server}
	if p := info.Pulumi.Parameterization; p != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	return dep, nil
}
