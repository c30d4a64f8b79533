#version 330 core
// Soft "flattering" shading for stylized characters: wrapped diffuse from
// the scene's directional lights (key, fill, rim), a sky/ground ambient, a
// gentle specular and a fresnel rim. Much cheaper than pyrender's PBR shader
// on a software rasteriser, and it reads the same uniforms pyrender sets.
struct DirectionalLight { vec3 color; float intensity; vec3 direction; };
struct Material {
    vec3 emissive_factor;
    vec4 base_color_factor;
    float metallic_factor;
    float roughness_factor;
};
uniform Material material;
uniform DirectionalLight directional_lights[MAX_DIRECTIONAL_LIGHTS];
uniform int n_directional_lights;
uniform vec3 cam_pos;
uniform vec3 ambient_light;
in vec3 frag_position;
in vec3 frag_normal;
out vec4 frag_color;
void main()
{
    vec3 base = material.base_color_factor.rgb;
    vec3 n = normalize(frag_normal);
    vec3 v = normalize(cam_pos - frag_position);
    if (dot(n, v) < 0.0) n = -n;
    float rough = material.roughness_factor;
    float metal = material.metallic_factor;
    vec3 sky = ambient_light;
    vec3 ground = ambient_light * vec3(0.55, 0.5, 0.5);
    vec3 diffuse = mix(ground, sky, 0.5 + 0.5 * n.y);
    vec3 spec = vec3(0.0);
    float shininess = mix(90.0, 6.0, rough);
    vec3 spec_color = mix(vec3(0.05), base, metal) * (1.0 - 0.7 * rough);
    for (int i = 0; i < n_directional_lights; i++) {
        vec3 l = -directional_lights[i].direction;
        vec3 radiance = directional_lights[i].intensity * directional_lights[i].color;
        float wrap = clamp((dot(n, l) + 0.45) / 1.45, 0.0, 1.0);
        diffuse += radiance * wrap * wrap;
        vec3 h = normalize(l + v);
        spec += radiance * pow(max(dot(n, h), 0.0), shininess) * (shininess + 2.0) / 16.0;
    }
    float fresnel = pow(1.0 - max(dot(n, v), 0.0), 3.0);
    vec3 color = base * diffuse * (1.0 - 0.5 * metal) + spec_color * spec
                 + fresnel * 0.18 * sky + material.emissive_factor;
    color = color / (1.0 + 0.25 * color);  // soft shoulder instead of hard clipping
    frag_color = vec4(pow(clamp(color, 0.0, 1.0), vec3(1.0 / 2.2)), material.base_color_factor.a);
}
